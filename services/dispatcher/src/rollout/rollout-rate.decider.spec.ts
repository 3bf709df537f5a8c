import { normalizeRollout } from '@fleetjobs/rollout';
import { decideRate, NO_SIGNALS, RateInput, RateSignals, speaksOfLoad } from './rollout-rate.decider';

const NOW = '2026-01-01T00:00:10.000Z';
const TWO_SECONDS_AGO = '2026-01-01T00:00:08.000Z';
const adaptive = normalizeRollout({ rate: { mode: 'adaptive', minPerMinute: 60, maxPerMinute: 600, stepPerMinute: 60 } }).rate;

/** A window of two seconds: 20 outcomes is 600/min used. */
const window = (signals: Partial<RateSignals>): RateSignals => ({ ...NO_SIGNALS, since: TWO_SECONDS_AGO, ...signals });

const given = (overrides: Partial<RateInput>) => ({
  when: () => decideRate({ rate: adaptive, ratePerMinute: 240, reason: 'healthy: 180 → 240/min', successes: 0, signals: NO_SIGNALS, now: NOW, ...overrides }),
});

describe('decideRate', () => {
  describe('given an adaptive rate', () => {
    it('when judged for the first time, then it starts at its start rate and opens a window', () => {
      expect(given({ ratePerMinute: null, reason: null }).when()).toEqual({
        ratePerMinute: 60,
        reason: 'starting at 60/min',
        cause: 'start',
        newWindow: true,
      });
    });

    it('when its window has not run its length, then nothing changes and the window goes on', () => {
      const signals = { ...window({ throttled: 3 }), since: '2026-01-01T00:00:09.000Z' };
      expect(given({ signals }).when()).toEqual({ ratePerMinute: 240, reason: 'healthy: 180 → 240/min', cause: null, newWindow: false });
    });

    it('when the window saw a 429, then the rate is multiplied down', () => {
      expect(given({ signals: window({ outcomes: 8, throttled: 1 }) }).when()).toEqual({
        ratePerMinute: 120,
        reason: 'throttled by the hub (429): 240 → 120/min',
        cause: 'throttled',
        newWindow: true,
      });
    });

    it('when too many outcomes failed for reasons of load, then the rate goes down', () => {
      expect(given({ signals: window({ outcomes: 10, failed: 2 }) }).when()).toMatchObject({
        ratePerMinute: 120,
        reason: 'failure rate 20 % > 10 %: 240 → 120/min',
        cause: 'failures',
      });
    });

    it('when too few outcomes arrived to judge their failures, then the rate is held, neither down nor up', () => {
      expect(given({ signals: window({ outcomes: 4, failed: 4, timed: 4, latencyMsSum: 400 }) }).when().ratePerMinute).toBe(240);
    });

    it('when devices answered slower than the bound on average, then the rate goes down', () => {
      expect(given({ signals: window({ outcomes: 10, timed: 10, latencyMsSum: 60_000 }) }).when()).toMatchObject({
        ratePerMinute: 120,
        reason: 'device latency 6000 ms > 5000 ms: 240 → 120/min',
        cause: 'latency',
      });
    });

    it('when a healthy window used the rate, then the step is added', () => {
      expect(given({ signals: window({ outcomes: 8, timed: 8, latencyMsSum: 800 }) }).when()).toEqual({
        ratePerMinute: 300,
        reason: 'healthy: 240 → 300/min',
        cause: 'healthy',
        newWindow: true,
      });
    });

    it('when a healthy window used less than four fifths of the rate, then the rate is held', () => {
      expect(given({ signals: window({ outcomes: 6 }) }).when()).toEqual({
        ratePerMinute: 240,
        reason: 'healthy: 180 → 240/min',
        cause: null,
        newWindow: true,
      });
    });

    it('when the window saw nothing at all, then the rate is held and a new window opens', () => {
      expect(given({ signals: window({}) }).when()).toEqual({ ratePerMinute: 240, reason: 'healthy: 180 → 240/min', cause: null, newWindow: true });
    });

    it('when trouble goes on at the floor, then the rate stays and the reason says so', () => {
      expect(given({ ratePerMinute: 60, signals: window({ outcomes: 2, throttled: 5 }) }).when()).toMatchObject({
        ratePerMinute: 60,
        reason: 'throttled by the hub (429): held at the floor of 60/min',
      });
    });

    it('when healthy at the ceiling, then the rate stays at the ceiling', () => {
      expect(given({ ratePerMinute: 600, signals: window({ outcomes: 20 }) }).when()).toMatchObject({
        ratePerMinute: 600,
        reason: 'healthy: held at the ceiling of 600/min',
      });
    });
  });

  describe('given a fixed rate', () => {
    it('when judged, then it runs at its cap and says so', () => {
      const rate = normalizeRollout({ rate: { perMinute: 300 } }).rate;
      expect(given({ rate, ratePerMinute: 300, reason: null }).when()).toEqual({ ratePerMinute: 300, reason: 'fixed at 300/min', cause: 'fixed', newWindow: false });
    });

    it('when a ramp has seen enough successes, then the rate follows them and says after how many', () => {
      const rate = normalizeRollout({ rate: { perMinute: 60, ramp: { startPerMinute: 15, afterSuccesses: 2 } } }).rate;
      expect(given({ rate, ratePerMinute: 15, reason: 'ramp: starting at 15/min', successes: 2 }).when()).toEqual({
        ratePerMinute: 30,
        reason: 'ramp: 15 → 30/min after 2 successes',
        cause: 'ramp',
        newWindow: false,
      });
    });
  });

  it('given a job without a rate, when judged, then it has no rate', () => {
    expect(given({ rate: null, ratePerMinute: null, reason: null }).when()).toEqual({ ratePerMinute: null, reason: null, cause: null, newWindow: false });
  });
});

describe('speaksOfLoad', () => {
  it('given the kinds of a failure, when asked, then only timeouts, hub errors and throttling speak of load', () => {
    expect((['offline', 'timeout', 'rejected', 'hub', 'throttled'] as const).filter(speaksOfLoad)).toEqual(['timeout', 'hub', 'throttled']);
  });
});
