import { makeEnvelope } from '../envelope-factory';
import { parseEvent } from '../parse-event';

const progress = {
  jobId: 'j1',
  currentBatch: 1,
  batchCount: 4,
  batch: { index: 1, size: 25, completed: 10, failed: 1, state: 'running' },
  ratePerMinute: 300,
  rateReason: 'throttled by the hub (429): 600 → 300/min',
  pausedUntil: null,
  sequence: 3,
};

const envelope = (type: string, data: unknown) => makeEnvelope({ type, version: 1, source: '/test', subject: 'j1', data, now: '2026-01-01T00:00:00.000Z' });

describe('JobRolloutProgressed', () => {
  it('given a progress as the dispatcher writes it, when parsed, then it reads back the same', () => {
    expect(parseEvent(envelope('JobRolloutProgressed', progress))?.data).toEqual(progress);
  });

  it('given a job without a rate, when parsed, then its rate and reason are null', () => {
    const { ratePerMinute: _rate, rateReason: _reason, ...withoutRate } = progress;
    expect(parseEvent(envelope('JobRolloutProgressed', withoutRate))?.data).toMatchObject({ ratePerMinute: null, rateReason: null });
  });

  it('given a batch without its counts, when parsed, then the field is named', () => {
    expect(() => parseEvent(envelope('JobRolloutProgressed', { ...progress, batch: { index: 1, size: 25, state: 'running' } }))).toThrow(
      'JobRolloutProgressed.batch: field "completed" must be a number',
    );
  });
});

describe('device outcomes with attempts', () => {
  it('given an outcome with its attempts, when parsed, then the attempts are kept', () => {
    const data = { jobId: 'j1', deviceId: 'd1', completedAt: '2026-01-01T00:00:00.000Z', attempts: 3 };
    expect(parseEvent(envelope('DeviceSucceeded', data))?.data).toEqual(data);
  });

  it('given an outcome of an older release, when parsed, then it has no attempts', () => {
    const data = { jobId: 'j1', deviceId: 'd1', error: 'offline', failedAt: '2026-01-01T00:00:00.000Z' };
    expect(parseEvent(envelope('DeviceFailed', data))?.data).toEqual(data);
  });
});
