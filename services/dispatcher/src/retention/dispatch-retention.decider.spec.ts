import { decideDispatchRetention, DispatchRetentionFacts } from './dispatch-retention.decider';

const NOW = '2026-03-31T12:00:00.000Z';
const daysAgo = (days: number) => new Date(Date.parse(NOW) - days * 24 * 60 * 60 * 1000).toISOString();
const job = (overrides: Partial<DispatchRetentionFacts> = {}): DispatchRetentionFacts => ({
  finishedAt: null,
  haltedAt: null,
  inFlight: false,
  revertUnderWay: false,
  now: NOW,
  retentionDays: 30,
  ...overrides,
});

describe('decideDispatchRetention', () => {
  it('drops a job finished longer ago than the retention', () => {
    expect(decideDispatchRetention(job({ finishedAt: daysAgo(31) }))).toEqual({ drop: true });
  });

  it('keeps a job finished inside the retention, up to its last moment', () => {
    expect(decideDispatchRetention(job({ finishedAt: daysAgo(29) }))).toEqual({ drop: false });
    expect(decideDispatchRetention(job({ finishedAt: daysAgo(30) }))).toEqual({ drop: false });
  });

  it('never drops a job running, paused or pending: it has neither end', () => {
    expect(decideDispatchRetention(job())).toEqual({ drop: false });
  });

  it('drops a job halted long ago that never finished, as one stopped while awaiting approval', () => {
    expect(decideDispatchRetention(job({ haltedAt: daysAgo(45) }))).toEqual({ drop: true });
  });

  it('judges a halted job that finished later by its finish', () => {
    expect(decideDispatchRetention(job({ haltedAt: daysAgo(45), finishedAt: daysAgo(10) }))).toEqual({ drop: false });
  });

  it('keeps a halted job while a device of it is in flight', () => {
    expect(decideDispatchRetention(job({ haltedAt: daysAgo(45), inFlight: true }))).toEqual({ drop: false });
  });

  it('keeps a job while a revert of it is under way', () => {
    expect(decideDispatchRetention(job({ finishedAt: daysAgo(31), revertUnderWay: true }))).toEqual({ drop: false });
  });

  it('drops every ended job at a retention of 0 days', () => {
    expect(decideDispatchRetention(job({ finishedAt: daysAgo(0.001), retentionDays: 0 }))).toEqual({ drop: true });
  });
});
