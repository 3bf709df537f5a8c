import { deciderSpec } from '@fleetjobs/event-sourcing/testing';
import { awaitsRelease, JobDefinition, JobEvent, jobDecider } from '../job.decider';

const now = '2026-12-05T10:00:00.000Z';
const jobId = 'raise-fan-speed-again';
const definition: JobDefinition = {
  displayName: 'Raise fan speed again',
  description: '',
  deviceSet: 'seattle-vms',
  devices: null,
  operations: [{ type: 'setting', name: 'fanSpeed', value: 6 }],
};
const aQueuedJobCreated = (waitingFor: string[]): JobEvent => ({
  type: 'JobCreated',
  data: { jobId, ...definition, template: 'vending-machine', createdAt: now, ...(waitingFor.length > 0 ? { waitingFor } : {}) },
});
const aJobReleased = (): JobEvent => ({ type: 'JobReleased', data: { jobId, releasedAt: now } });
const release = { type: 'ReleaseJob' as const, jobId, now };
const spec = deciderSpec(jobDecider);
const stateAfter = (events: JobEvent[]) => events.reduce(jobDecider.evolve, jobDecider.initialState());

describe('a job queued behind conflicting jobs', () => {
  it('is created naming the jobs it waits for', () => {
    spec
      .given([])
      .when({ type: 'CreateJob', jobId, definition, template: 'vending-machine', now, waitingFor: ['a', 'b'] })
      .then([aQueuedJobCreated(['a', 'b'])]);
  });

  it('waits for its release while pending', () => {
    expect(awaitsRelease(stateAfter([aQueuedJobCreated(['a'])]))).toBe(true);
    expect(awaitsRelease(stateAfter([aQueuedJobCreated(['a']), aJobReleased()]))).toBe(false);
  });

  it('is released once', () => {
    spec.given([aQueuedJobCreated(['a'])]).when(release).then([aJobReleased()]);
    spec.given([aQueuedJobCreated(['a']), aJobReleased()]).when(release).then([]);
  });

  it('is never released once stopped', () => {
    spec.given([aQueuedJobCreated(['a']), { type: 'JobStopped', data: { jobId, stoppedAt: now } }]).when(release).then([]);
  });

  it('stopped while it waits, it settles at once: nothing of it was targeted', () => {
    spec
      .given([aQueuedJobCreated(['a'])])
      .when({ type: 'StopJob', jobId, now })
      .then([
        { type: 'JobStopped', data: { jobId, stoppedAt: now } },
        { type: 'JobSettled', data: { jobId, status: 'stopped', completed: 0, failed: 0, notStarted: 0, settledAt: now } },
      ]);
  });

  it('stopped once released, it settles when the dispatch reports its end', () => {
    spec.given([aQueuedJobCreated(['a']), aJobReleased()]).when({ type: 'StopJob', jobId, now }).then([{ type: 'JobStopped', data: { jobId, stoppedAt: now } }]);
  });

  it('a job that was not queued is never released', () => {
    spec.given([aQueuedJobCreated([])]).when(release).then([]);
    expect(awaitsRelease(stateAfter([aQueuedJobCreated([])]))).toBe(false);
  });
});

describe('a queued job that also needs approval', () => {
  const approval = { required: true as const, reason: 'requested by its creator' };
  const created: JobEvent = {
    type: 'JobCreated',
    data: { jobId, ...definition, template: 'vending-machine', createdAt: now, waitingFor: ['a'], approval, createdBy: { id: 'user:alice', name: 'Alice' } },
  };

  it('is released only once approved', () => {
    spec.given([created]).when(release).then([]);
    spec
      .given([created, { type: 'JobApproved', data: { jobId, approvedAt: now, approvedBy: { id: 'user:bob', name: 'Bob' } } }])
      .when(release)
      .then([aJobReleased()]);
  });
});
