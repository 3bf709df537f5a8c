import { deciderSpec } from '@fleetjobs/event-sourcing/testing';
import { awaitsStart, JobDefinition, JobEvent, jobDecider, JobState } from '../job.decider';

const jobId = 'night-reboot';
const createdAt = '2026-11-27T10:00:00.000Z';
const startAt = '2026-11-27T22:00:00.000Z';
const definition: JobDefinition = {
  displayName: 'Night reboot',
  description: '',
  deviceSet: 'seattle-vms',
  devices: null,
  operations: [{ type: 'command', name: 'reboot', value: {} }],
  schedule: { startAt },
};
const alice = { id: 'user:alice', name: 'Alice' };
const bob = { id: 'user:bob', name: 'Bob' };

const aScheduledJob = (extra: object = {}): JobEvent => ({
  type: 'JobCreated',
  data: { jobId, ...definition, template: 'vending-machine', createdAt, createdBy: alice, ...extra },
});
const aJobNeedingApproval = () => aScheduledJob({ approval: { required: true, reason: 'requested by its creator' } });
const reached = (reachedAt: string): JobEvent => ({ type: 'JobStartReached', data: { jobId, startAt, reachedAt } });
const reachStart = (now: string) => ({ type: 'ReachStart' as const, jobId, now });
const approve = (now: string) => ({ type: 'ApproveJob' as const, jobId, approver: bob, now });
const approved = (now: string): JobEvent => ({ type: 'JobApproved', data: { jobId, approvedAt: now, approvedBy: bob } });

const stateAfter = (events: JobEvent[]): JobState => events.reduce(jobDecider.evolve, jobDecider.initialState());
const spec = deciderSpec(jobDecider);

describe('job decider: a scheduled start', () => {
  it('a job created with a schedule waits for its start', () => {
    expect(awaitsStart(stateAfter([aScheduledJob()]))).toBe(true);
    expect(stateAfter([aScheduledJob()])).toMatchObject({ status: 'pending', startAt });
  });

  it('the schedule is part of the definition: the same id with another start is another job', () => {
    expect(() =>
      jobDecider.decide(
        { type: 'CreateJob', jobId, definition: { ...definition, schedule: { startAt: '2026-11-28T22:00:00.000Z' } }, template: 'vending-machine', now: createdAt },
        stateAfter([aScheduledJob()]),
      ),
    ).toThrow();
  });

  it('reaches its start once the time has come', () => {
    spec.given([aScheduledJob()]).when(reachStart(startAt)).then([reached(startAt)]);
  });

  it('does not start before its time', () => {
    spec.given([aScheduledJob()]).when(reachStart('2026-11-27T21:59:59.999Z')).then([]);
  });

  it('reaches its start once only', () => {
    spec.given([aScheduledJob(), reached(startAt)]).when(reachStart('2026-11-27T22:00:05.000Z')).then([]);
    expect(awaitsStart(stateAfter([aScheduledJob(), reached(startAt)]))).toBe(false);
  });

  it('a stopped job never starts', () => {
    spec.given([aScheduledJob(), { type: 'JobStopped', data: { jobId, stoppedAt: createdAt } }]).when(reachStart(startAt)).then([]);
  });

  it('a job without a schedule has no start to reach', () => {
    const { schedule: _schedule, ...unscheduled } = definition;
    const created: JobEvent = { type: 'JobCreated', data: { jobId, ...unscheduled, template: 'vending-machine', createdAt } };
    spec.given([created]).when(reachStart(startAt)).then([]);
    expect(awaitsStart(stateAfter([created]))).toBe(false);
  });

  describe('that also needs approval', () => {
    it('does not start at its time while unapproved', () => {
      spec.given([aJobNeedingApproval()]).when(reachStart(startAt)).then([]);
    });

    it('approved before its time, it starts at its time', () => {
      const at = '2026-11-27T12:00:00.000Z';
      spec.given([aJobNeedingApproval()]).when(approve(at)).then([approved(at)]);
      spec.given([aJobNeedingApproval(), approved(at)]).when(reachStart(startAt)).then([reached(startAt)]);
    });

    it('approved after its time, it starts with the approval', () => {
      const late = '2026-11-27T23:00:00.000Z';
      spec.given([aJobNeedingApproval()]).when(approve(late)).then([approved(late), reached(late)]);
    });
  });
});

describe('job decider: a scheduled job stopped before its start', () => {
  it('settles at once: nothing of it was targeted', () => {
    const stoppedAt = '2026-11-27T12:00:00.000Z';
    spec
      .given([aScheduledJob()])
      .when({ type: 'StopJob', jobId, now: stoppedAt })
      .then([
        { type: 'JobStopped', data: { jobId, stoppedAt } },
        { type: 'JobSettled', data: { jobId, status: 'stopped', completed: 0, failed: 0, notStarted: 0, settledAt: stoppedAt } },
      ]);
  });
});
