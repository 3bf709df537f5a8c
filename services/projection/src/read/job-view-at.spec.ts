import { JobView } from './job.view';
import { JobHistory } from './job-history.query';
import { jobViewAt } from './job-view-at';

const at = (time: string) => `2026-03-01T10:${time}.000Z`;

const now: JobView = {
  id: 'job-1',
  displayName: 'Job 1',
  description: '',
  deviceSet: 'seattle-vms',
  devices: null,
  operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
  status: 'stopped',
  error: 'stopped by Alice',
  createdAt: at('00:00'),
  startedAt: at('00:10'),
  endedAt: at('05:00'),
  counts: { total: 4, pending: 1, completed: 2, failed: 1 },
  rollout: null,
  rolloutProgress: { batches: [] } as unknown as JobView['rolloutProgress'],
  createdBy: { id: 'user:alice', name: 'Alice' },
  stoppedBy: { id: 'user:alice', name: 'Alice' },
  approval: { required: true, reason: 'fleet-wide', approvedBy: { id: 'user:bob', name: 'Bob' }, approvedAt: at('00:05') },
  rerunOf: null,
  waitingFor: [],
  settledAt: null,
  nextStartAt: null,
};

const history = (counts: JobHistory['counts']): JobHistory => ({
  view: now,
  targetTotal: 4,
  changes: [
    { type: 'JobStarted', at: at('00:10') },
    { type: 'JobPaused', at: at('02:00') },
    { type: 'JobStopped', at: at('05:00') },
  ],
  counts,
});

describe('jobViewAt', () => {
  it('before the approval and the start: pending, unapproved, no devices, nothing ended', () => {
    const view = jobViewAt(history({ total: 0, completed: 0, failed: 0 }), at('00:01'));
    expect(view).toMatchObject({
      status: 'pending',
      startedAt: null,
      endedAt: null,
      error: null,
      stoppedBy: null,
      approval: { required: true, reason: 'fleet-wide', approvedBy: null, approvedAt: null },
      counts: { total: 0, pending: 0, completed: 0, failed: 0 },
      rolloutProgress: null,
    });
  });

  it('while paused: started, approved, counts as they were then', () => {
    const view = jobViewAt(history({ total: 4, completed: 1, failed: 1 }), at('03:00'));
    expect(view).toMatchObject({
      status: 'paused',
      startedAt: at('00:10'),
      endedAt: null,
      approval: now.approval,
      counts: { total: 4, pending: 2, completed: 1, failed: 1 },
    });
  });

  it('once started, the total is never less than targeting announced', () => {
    expect(jobViewAt(history({ total: 1, completed: 0, failed: 0 }), at('00:10')).counts).toEqual({ total: 4, pending: 1, completed: 0, failed: 0 });
  });

  it('after the end: the end, its reason and who stopped it', () => {
    const view = jobViewAt(history({ total: 4, completed: 2, failed: 1 }), at('06:00'));
    expect(view).toMatchObject({ status: 'stopped', endedAt: at('05:00'), error: 'stopped by Alice', stoppedBy: now.stoppedBy });
  });

  it('keeps the definition as it is', () => {
    const view = jobViewAt(history({ total: 0, completed: 0, failed: 0 }), at('00:01'));
    expect(view).toMatchObject({ id: 'job-1', displayName: 'Job 1', operations: now.operations, createdBy: now.createdBy, createdAt: at('00:00') });
  });
});
