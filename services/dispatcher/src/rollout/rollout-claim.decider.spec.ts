import { normalizeRollout } from '@fleetjobs/rollout';
import { decideRolloutClaim, RolloutClaimInput, startRatePerMinute } from './rollout-claim.decider';

const NOW = '2026-01-01T00:00:00.000Z';
const aJob = (overrides: Partial<RolloutClaimInput> = {}): RolloutClaimInput => ({
  rollout: normalizeRollout({ batches: { size: 10 } }),
  targetsComplete: true,
  targetsTotal: 40,
  currentBatch: 1,
  pausedUntil: null,
  tokens: null,
  fairShare: 16,
  now: NOW,
  ...overrides,
});

describe('decideRolloutClaim', () => {
  it('given a job without a rollout, when claimed, then it takes its fair share of any device', () => {
    expect(decideRolloutClaim(aJob({ rollout: null, targetsComplete: false, targetsTotal: null }))).toEqual({ limit: 16, from: null, to: null });
  });

  it('given a job in batches, when claimed, then only devices of its current batch are taken', () => {
    expect(decideRolloutClaim(aJob())).toEqual({ limit: 16, from: 10, to: 20 });
  });

  it('given a job in batches whose targets are still arriving, when claimed, then nothing is taken', () => {
    expect(decideRolloutClaim(aJob({ targetsComplete: false, targetsTotal: null })).limit).toBe(0);
  });

  it('given a pause between batches still running, when claimed, then nothing is taken until it ends', () => {
    expect(decideRolloutClaim(aJob({ pausedUntil: '2026-01-01T00:00:05.000Z' })).limit).toBe(0);
    expect(decideRolloutClaim(aJob({ pausedUntil: '2026-01-01T00:00:05.000Z', now: '2026-01-01T00:00:05.000Z' })).limit).toBe(16);
  });

  it('given a rated job, when claimed, then it takes no more than its whole tokens', () => {
    const rated = normalizeRollout({ rate: { perMinute: 60 } });
    expect(decideRolloutClaim(aJob({ rollout: rated, tokens: 2.7 }))).toEqual({ limit: 2, from: null, to: null });
    expect(decideRolloutClaim(aJob({ rollout: rated, tokens: 0.9 })).limit).toBe(0);
    expect(decideRolloutClaim(aJob({ rollout: rated, tokens: 100 })).limit).toBe(16);
  });
});

describe('startRatePerMinute', () => {
  it('given a ramp, when a job starts, then it runs at the ramp\'s start; without one at the cap; without a rate at none', () => {
    expect(startRatePerMinute(normalizeRollout({ rate: { perMinute: 60, ramp: { startPerMinute: 30 } } }))).toBe(30);
    expect(startRatePerMinute(normalizeRollout({ rate: { perMinute: 60 } }))).toBe(60);
    expect(startRatePerMinute(normalizeRollout({ batches: { size: 2 } }))).toBeNull();
  });
});

describe('a claim of a job with maintenance windows', () => {
  const base: RolloutClaimInput = { rollout: null, targetsComplete: true, targetsTotal: 40, currentBatch: 0, pausedUntil: null, tokens: null, fairShare: 16, now: '2026-12-05T02:30:00.000Z' };
  const windows = [{ days: ['sat' as const], start: '02:00', end: '04:00', timeZone: 'UTC' }];

  it('takes its fair share inside a window', () => {
    expect(decideRolloutClaim({ ...base, windows })).toEqual({ limit: 16, from: null, to: null });
  });

  it('takes nothing outside every window: its devices stay pending', () => {
    expect(decideRolloutClaim({ ...base, windows, now: '2026-12-05T04:00:00.000Z' }).limit).toBe(0);
    expect(decideRolloutClaim({ ...base, windows, now: '2026-12-06T02:30:00.000Z' }).limit).toBe(0);
  });

  it('takes as before when it has none', () => {
    expect(decideRolloutClaim({ ...base, windows: null, now: '2026-12-06T02:30:00.000Z' }).limit).toBe(16);
  });

  describe("in each device's own zone", () => {
    const night = [{ start: '02:00', end: '04:00', timeZone: 'device' }];
    const timeZones = ['UTC', 'Europe/Berlin', 'Asia/Tokyo'];

    it('takes its fair share of the devices whose zone has a window open, judged once per zone', () => {
      // 01:30 UTC is 02:30 in Berlin.
      expect(decideRolloutClaim({ ...base, windows: night, timeZones, now: '2026-12-05T01:30:00.000Z' })).toEqual({ limit: 16, from: null, to: null, zones: ['Europe/Berlin'] });
    });

    it('takes nothing while the window is closed in every zone of its devices', () => {
      expect(decideRolloutClaim({ ...base, windows: night, timeZones, now: '2026-12-05T12:00:00.000Z' }).limit).toBe(0);
      expect(decideRolloutClaim({ ...base, windows: night, timeZones: [], now: '2026-12-05T02:30:00.000Z' }).limit).toBe(0);
    });

    it('takes any device while a window in a fixed zone is open', () => {
      const mixed = [...night, { start: '11:00', end: '13:00', timeZone: 'UTC' }];
      expect(decideRolloutClaim({ ...base, windows: mixed, timeZones, now: '2026-12-05T12:00:00.000Z' })).toEqual({ limit: 16, from: null, to: null });
    });

    it('keeps its batch and its rate within the open zones', () => {
      const batched = { ...base, rollout: normalizeRollout({ batches: { size: 10 } }), currentBatch: 1, tokens: 3.5 };
      expect(decideRolloutClaim({ ...batched, windows: night, timeZones, now: '2026-12-05T02:30:00.000Z' })).toEqual({ limit: 3, from: 10, to: 20, zones: ['UTC', 'Europe/Berlin'] });
    });
  });
});
