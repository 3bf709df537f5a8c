import { normalizeRollout } from '@fleetjobs/rollout';
import type { Rollout } from '@fleetjobs/contracts';
import { estimateEta, EtaInput } from './eta.model';

const setting: EtaInput['operations'] = [{ type: 'setting' }];
const command: EtaInput['operations'] = [{ type: 'command' }];
const eta = (devices: number, rollout: Rollout | null, hubRatePerSecond = 0, operations = command) =>
  estimateEta({ devices, operations, rollout: normalizeRollout(rollout), hubRatePerSecond });

describe('the ETA of a job', () => {
  it('is only its pauses when nothing paces it', () => {
    expect(eta(100, null)).toEqual({
      seconds: 0,
      sendingSeconds: 0,
      pauseSeconds: 0,
      batches: 1,
      requestsPerDevice: 1,
      peakDevicesPerMinute: null,
      limitedBy: 'none',
    });
    expect(eta(100, { batches: { size: 25 }, pauseBetweenSeconds: 10 })).toMatchObject({ seconds: 30, pauseSeconds: 30, batches: 4 });
  });

  it('follows a fixed rate in devices per minute', () => {
    expect(eta(120, { rate: { perMinute: 60 } })).toMatchObject({ seconds: 120, limitedBy: 'rollout', peakDevicesPerMinute: 60 });
  });

  it('follows the hub limit in requests per second, counting a setting as a patch and a read', () => {
    expect(eta(100, null, 10)).toMatchObject({ seconds: 10, limitedBy: 'hub', requestsPerDevice: 1 });
    expect(eta(100, null, 10, setting)).toMatchObject({ seconds: 20, limitedBy: 'hub', requestsPerDevice: 2 });
  });

  it('takes the lower of the rollout rate and the hub limit', () => {
    expect(eta(600, { rate: { perMinute: 6000 } }, 1)).toMatchObject({ seconds: 600, limitedBy: 'hub', peakDevicesPerMinute: 60 });
    expect(eta(600, { rate: { perMinute: 60 } }, 100)).toMatchObject({ seconds: 600, limitedBy: 'rollout' });
  });

  it('adds a pause after every batch but the last, batches cut as the dispatcher cuts them', () => {
    // 25 % of 10 devices: batches of 3, 3, 3 and 1.
    expect(eta(10, { batches: { percent: 25 }, pauseBetweenSeconds: 5, rate: { perMinute: 60 } })).toMatchObject({
      batches: 4,
      pauseSeconds: 15,
      sendingSeconds: 10,
      seconds: 25,
    });
  });

  it('climbs a ramp step by step up to its cap', () => {
    // 10/min for 10 devices (60 s), 20/min for 10 (30 s), then 40/min for the remaining 20 (30 s).
    expect(eta(40, { rate: { perMinute: 40, ramp: { startPerMinute: 10, factor: 2, afterSuccesses: 10 } } })).toMatchObject({
      seconds: 120,
      peakDevicesPerMinute: 40,
    });
  });

  it('stops a ramp at the hub limit', () => {
    // The hub allows 15/min: 10 devices at 10/min (60 s), then 30 at 15/min (120 s).
    expect(eta(40, { rate: { perMinute: 40, ramp: { startPerMinute: 10, factor: 2, afterSuccesses: 10 } } }, 0.25)).toMatchObject({
      seconds: 180,
      limitedBy: 'hub',
    });
  });

  it('adds an adaptive rate its step every healthy window up to its maximum', () => {
    // Windows of 2 s at 60, 120, 180/min reach 2 + 4 + 6 = 12 devices in 6 s.
    expect(eta(12, { rate: { mode: 'adaptive', minPerMinute: 60, maxPerMinute: 600 } })).toMatchObject({ seconds: 6 });
    // At 60 and 120/min (the maximum) the first two windows reach 6 devices; 114 more at 120/min take 57 s.
    expect(eta(120, { rate: { mode: 'adaptive', minPerMinute: 60, maxPerMinute: 120 } })).toMatchObject({ seconds: 61 });
  });

  it('is nothing for a job without devices', () => {
    expect(eta(0, { rate: { mode: 'adaptive', minPerMinute: 60, maxPerMinute: 120 }, pauseBetweenSeconds: 10 })).toMatchObject({
      seconds: 0,
      batches: 0,
    });
  });
});
