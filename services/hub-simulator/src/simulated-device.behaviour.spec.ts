import {
  behaviourFromTags,
  DEFAULT_BEHAVIOUR,
  MAX_LATENCY_MS,
  reactToMethod,
  reactToSetting,
  settingsToAcknowledge,
  twinWriteAnswerDelayMs,
} from './simulated-device.behaviour';

const timeouts = { responseTimeoutMs: 30_000, connectTimeoutMs: 0 };

describe('simulated device behaviour', () => {
  describe('reading the simulator tag', () => {
    it('defaults to online, fast and successful without a simulator tag', () => {
      expect(behaviourFromTags({ city: 'Seattle' })).toEqual(DEFAULT_BEHAVIOUR);
      expect(behaviourFromTags(undefined)).toEqual(DEFAULT_BEHAVIOUR);
    });

    it('reads every documented field', () => {
      expect(
        behaviourFromTags({ simulator: { online: false, latencyMs: 200, failCommands: ['reboot'], rejectSettings: true } }),
      ).toEqual({ online: false, latencyMs: 200, failCommands: ['reboot'], rejectSettings: true, twinWriteLatencyMs: 0 });
      expect(behaviourFromTags({ simulator: { twinWriteLatencyMs: 5000 } }).twinWriteLatencyMs).toBe(5000);
      expect(behaviourFromTags({ simulator: { failCommands: '*' } }).failCommands).toBe('*');
    });

    it('falls back to defaults for malformed fields and bounds the latency', () => {
      const behaviour = behaviourFromTags({ simulator: { online: 'no', latencyMs: 'slow', failCommands: 7, rejectSettings: 'yes' } });
      expect(behaviour).toEqual(DEFAULT_BEHAVIOUR);
      expect(behaviourFromTags({ simulator: { latencyMs: -5 } }).latencyMs).toBe(0);
      expect(behaviourFromTags({ simulator: { latencyMs: 1e12 } }).latencyMs).toBe(MAX_LATENCY_MS);
      expect(behaviourFromTags({ simulator: { twinWriteLatencyMs: 'hung' } }).twinWriteLatencyMs).toBe(0);
      expect(behaviourFromTags({ simulator: { twinWriteLatencyMs: 1e12 } }).twinWriteLatencyMs).toBe(MAX_LATENCY_MS);
      expect(behaviourFromTags({ simulator: { failCommands: ['reboot', 3] } }).failCommands).toEqual(['reboot']);
    });
  });

  describe('twin writes', () => {
    it('holds the answer to a desired-properties patch for the twin write latency, not to a tags patch', () => {
      const hung = behaviourFromTags({ simulator: { twinWriteLatencyMs: 5000 } });
      expect(twinWriteAnswerDelayMs(hung, { desired: { fanSpeed: 3 } })).toBe(5000);
      expect(twinWriteAnswerDelayMs(hung, { tags: { city: 'Oslo' } } as { desired?: unknown })).toBe(0);
      expect(twinWriteAnswerDelayMs(DEFAULT_BEHAVIOUR, { desired: { fanSpeed: 3 } })).toBe(0);
    });
  });

  describe('settings', () => {
    it('an online device acknowledges with 200 after its latency', () => {
      expect(reactToSetting(behaviourFromTags({ simulator: { latencyMs: 200 } }))).toEqual({
        kind: 'acknowledge',
        delayMs: 200,
        ack: { ac: 200, ad: 'completed' },
      });
    });

    it('a device that rejects settings acknowledges with 400', () => {
      expect(reactToSetting(behaviourFromTags({ simulator: { rejectSettings: true } }))).toEqual({
        kind: 'acknowledge',
        delayMs: 0,
        ack: { ac: 400, ad: 'rejected by device' },
      });
    });

    it('an offline device does not acknowledge', () => {
      expect(reactToSetting(behaviourFromTags({ simulator: { online: false } }))).toEqual({ kind: 'ignore' });
    });

    it('acknowledges the written keys, plus outstanding ones when the device comes back online', () => {
      const online = DEFAULT_BEHAVIOUR;
      const offline = { ...DEFAULT_BEHAVIOUR, online: false };
      expect(settingsToAcknowledge(online, online, ['fanSpeed'], ['mode'])).toEqual(['fanSpeed']);
      expect(settingsToAcknowledge(offline, online, ['fanSpeed'], ['mode', 'fanSpeed'])).toEqual(['fanSpeed', 'mode']);
      expect(settingsToAcknowledge(online, offline, ['fanSpeed'], [])).toEqual([]);
    });
  });

  describe('direct methods', () => {
    it('a default device answers 200 at once', () => {
      expect(reactToMethod(DEFAULT_BEHAVIOUR, 'reboot', timeouts)).toEqual({
        kind: 'device-answered',
        afterMs: 0,
        status: 200,
        payload: { result: 'ok' },
      });
    });

    it('fails the listed commands with status 500 and leaves the others alone', () => {
      const behaviour = behaviourFromTags({ simulator: { failCommands: ['reboot'] } });
      expect(reactToMethod(behaviour, 'reboot', timeouts)).toEqual({
        kind: 'device-answered',
        afterMs: 0,
        status: 500,
        payload: { error: 'reboot failed on the device' },
      });
      expect(reactToMethod(behaviour, 'ping', timeouts)).toMatchObject({ status: 200 });
    });

    it('fails every command with "*"', () => {
      const behaviour = behaviourFromTags({ simulator: { failCommands: '*' } });
      expect(reactToMethod(behaviour, 'anything', timeouts)).toMatchObject({ status: 500 });
    });

    it('answers after the latency, or times out when the latency exceeds the response timeout', () => {
      const slow = behaviourFromTags({ simulator: { latencyMs: 300 } });
      expect(reactToMethod(slow, 'reboot', timeouts)).toMatchObject({ kind: 'device-answered', afterMs: 300 });
      expect(reactToMethod(slow, 'reboot', { responseTimeoutMs: 100, connectTimeoutMs: 0 })).toEqual({
        kind: 'timed-out',
        afterMs: 100,
      });
    });

    it('an offline device is reported not online after the connect timeout', () => {
      const offline = behaviourFromTags({ simulator: { online: false } });
      expect(reactToMethod(offline, 'reboot', { responseTimeoutMs: 30_000, connectTimeoutMs: 2000 })).toEqual({
        kind: 'device-not-online',
        afterMs: 2000,
      });
    });
  });
});
