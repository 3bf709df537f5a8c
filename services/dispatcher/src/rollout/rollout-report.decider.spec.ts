import { decideReport, ProgressSnapshot, progressSnapshots, ReportInput, SnapshotInput } from './rollout-report.decider';

const NOW = '2026-01-01T00:00:10.000Z';

const aRound = (overrides: Partial<SnapshotInput> = {}): SnapshotInput => ({
  judged: { index: 0, size: 10, completed: 4, failed: 1 },
  batchCount: 4,
  currentBatch: 0,
  currentBatchSize: 10,
  gateFailed: false,
  successGate: { percent: 80 },
  ratePerMinute: 600,
  rateReason: 'fixed at 600/min',
  pausedUntil: null,
  ...overrides,
});

const aSnapshot = (overrides: Partial<ProgressSnapshot> = {}): ProgressSnapshot => ({
  currentBatch: 0,
  batchCount: 4,
  batch: { index: 0, size: 10, completed: 4, failed: 1, state: 'running' },
  ratePerMinute: 600,
  rateReason: 'fixed at 600/min',
  pausedUntil: null,
  ...overrides,
});

const report = (overrides: Partial<ReportInput>) =>
  decideReport({ next: aSnapshot(), published: aSnapshot(), publishedAt: '2026-01-01T00:00:09.000Z', settled: false, now: NOW, ...overrides });

describe('progressSnapshots', () => {
  it('given a batch with devices to go, when reported, then it is running', () => {
    expect(progressSnapshots(aRound())).toEqual([aSnapshot()]);
  });

  it('given a round that moved to the next batch, when reported, then the judged batch passed and the next one starts', () => {
    const snapshots = progressSnapshots(aRound({ judged: { index: 0, size: 10, completed: 9, failed: 1 }, currentBatch: 1, currentBatchSize: 7 }));
    expect(snapshots.map((snapshot) => [snapshot.currentBatch, snapshot.batch])).toEqual([
      [1, { index: 0, size: 10, completed: 9, failed: 1, state: 'passed' }],
      [1, { index: 1, size: 7, completed: 0, failed: 0, state: 'running' }],
    ]);
  });

  it('given a round that stopped at the batch\'s gate, when reported, then the batch failed its gate', () => {
    expect(progressSnapshots(aRound({ gateFailed: true }))[0].batch.state).toBe('gateFailed');
  });

  it('given a job its gate halted, when a later round reports the batch with devices never started, then it still failed its gate', () => {
    const haltedAtGate = { index: 0, size: 10, completed: 4, failed: 3, state: 'gateFailed' as const };
    const [snapshot] = progressSnapshots(aRound({ judged: { index: 0, size: 10, completed: 5, failed: 3 }, halted: true, published: haltedAtGate }));
    expect(snapshot.batch).toEqual({ index: 0, size: 10, completed: 5, failed: 3, state: 'gateFailed' });
    expect(progressSnapshots(aRound({ halted: false, published: haltedAtGate }))[0].batch.state).toBe('running');
  });

  it('given the last batch done below its gate, when reported, then it failed its gate', () => {
    const [snapshot] = progressSnapshots(aRound({ judged: { index: 3, size: 10, completed: 7, failed: 3 }, currentBatch: 3 }));
    expect(snapshot.batch.state).toBe('gateFailed');
  });

  it('given the last batch done at its gate, when reported, then it passed', () => {
    const [snapshot] = progressSnapshots(aRound({ judged: { index: 3, size: 10, completed: 8, failed: 2 }, currentBatch: 3 }));
    expect(snapshot.batch.state).toBe('passed');
  });
});

describe('decideReport', () => {
  it('given nothing published yet, when a round reports, then it is published', () => {
    expect(report({ published: null, publishedAt: null })).toBe(true);
  });

  it('given the same figures as published, when a round reports, then nothing is published', () => {
    expect(report({ publishedAt: '2026-01-01T00:00:00.000Z' })).toBe(false);
  });

  it.each([
    ['the batch', { currentBatch: 1 }],
    ['a batch\'s state', { batch: { index: 0, size: 10, completed: 4, failed: 1, state: 'gateFailed' as const } }],
    ['the rate', { ratePerMinute: 300 }],
    ['the rate\'s reason', { rateReason: 'throttled by the hub (429): held at the floor of 300/min' }],
    ['the pause', { pausedUntil: NOW }],
  ])('given %s changed, when a round reports, then it is published at once', (_what, change) => {
    expect(report({ next: aSnapshot(change) })).toBe(true);
  });

  it('given only counts moved, when the last publication is recent, then they wait', () => {
    expect(report({ next: aSnapshot({ batch: { index: 0, size: 10, completed: 5, failed: 1, state: 'running' } }) })).toBe(false);
  });

  it('given only counts moved, when the last publication is a few seconds old, then they are published', () => {
    const next = aSnapshot({ batch: { index: 0, size: 10, completed: 5, failed: 1, state: 'running' } });
    expect(report({ next, publishedAt: '2026-01-01T00:00:07.000Z' })).toBe(true);
  });

  it('given only counts moved, when nothing of the job is in flight any more, then they are published at once', () => {
    const next = aSnapshot({ batch: { index: 0, size: 10, completed: 5, failed: 1, state: 'running' } });
    expect(report({ next, settled: true })).toBe(true);
  });
});
