import { describe, expect, it } from 'vitest';
import { JobEta } from '../api/fleetjobs-api.types';
import { etaPace, etaSummary, formatDuration, overlapText } from './job-preview.format';

const eta = (overrides: Partial<JobEta> = {}): JobEta => ({
  seconds: 90,
  sendingSeconds: 30,
  pauseSeconds: 60,
  batches: 3,
  requestsPerDevice: 2,
  peakDevicesPerMinute: 600,
  limitedBy: 'rollout',
  ...overrides,
});

describe('preview in words', () => {
  it('says a duration at a glance', () => {
    expect(formatDuration(0)).toBe('under a second');
    expect(formatDuration(44.2)).toBe('45 s');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(120)).toBe('2 min');
    expect(formatDuration(3780)).toBe('1 h 3 min');
    expect(formatDuration(7200)).toBe('2 h');
    expect(etaSummary(0.4)).toBe('under a second');
    expect(etaSummary(125)).toBe('about 2 min 5 s');
  });

  it('says what paces the job and its batches', () => {
    expect(etaPace(eta())).toBe('3 batches, 1 min of pauses between them; paced by its rollout rate at up to 600 devices a minute');
    expect(etaPace(eta({ batches: 1, limitedBy: 'hub', peakDevicesPerMinute: 1500 }))).toBe("paced by the hub's rate limit at up to 1500 devices a minute");
    expect(etaPace(eta({ batches: 1, limitedBy: 'none', peakDevicesPerMinute: null }))).toBe('no rate of its own: as fast as the devices answer');
  });

  it('says what an overlapping job shares and writes', () => {
    const overlap = { jobId: 'a', displayName: 'A', status: 'paused' as const, sharedDevices: 1, sameWrites: [] };
    expect(overlapText(overlap)).toBe('1 shared device; it writes none of the same properties or settings');
    expect(overlapText({ ...overlap, sharedDevices: 7, sameWrites: [{ type: 'setting', name: 'fanSpeed' }] })).toBe('7 shared devices; it also writes setting fanSpeed');
  });
});
