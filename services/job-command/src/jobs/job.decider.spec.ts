import { deciderSpec } from '@fleetjobs/event-sourcing/testing';
import { JobDefinition, JobEvent, jobDecider, sameDefinition } from './job.decider';
import { JobAlreadyEnded, JobIdTakenByAnotherDefinition, JobNotFound } from './job.errors';

const now = '2026-11-27T10:00:00.000Z';
const jobId = 'raise-fan-speed';
const definition: JobDefinition = {
  displayName: 'Raise fan speed',
  description: 'Hot week in Seattle',
  deviceSet: 'seattle-vms',
  devices: null,
  operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
};

const aJobCreated = (overrides: Partial<JobDefinition> = {}): JobEvent => ({
  type: 'JobCreated',
  data: { jobId, ...definition, ...overrides, template: 'vending-machine', createdAt: now },
});
const aJobStarted = (total = 3): JobEvent => ({ type: 'JobStarted', data: { jobId, total, startedAt: now } });
const aJobStopped = (): JobEvent => ({ type: 'JobStopped', data: { jobId, stoppedAt: now } });
const aJobCompleted = (): JobEvent => ({ type: 'JobCompleted', data: { jobId, completed: 3, endedAt: now } });

const spec = deciderSpec(jobDecider);

describe('job decider', () => {
  describe('CreateJob', () => {
    const create = { type: 'CreateJob' as const, jobId, definition, template: 'vending-machine', now };

    it('creates a job that does not exist yet', () => {
      spec.given([]).when(create).then([aJobCreated()]);
    });

    it('repeating the same definition changes nothing', () => {
      spec.given([aJobCreated()]).when(create).then([]);
    });

    it('treats key order and absent optionals as the same definition', () => {
      const reordered = { operations: definition.operations, devices: null, deviceSet: 'seattle-vms', description: 'Hot week in Seattle', displayName: 'Raise fan speed' };
      expect(sameDefinition(definition, reordered)).toBe(true);
    });

    it('refuses the same id with another definition', () => {
      spec
        .given([aJobCreated()])
        .when({ ...create, definition: { ...definition, operations: [{ type: 'setting', name: 'fanSpeed', value: 6 }] } })
        .thenThrows(JobIdTakenByAnotherDefinition);
    });
  });

  describe('when pending', () => {
    it('starts once targets are resolved', () => {
      spec.given([aJobCreated()]).when({ type: 'StartJob', jobId, total: 3, now }).then([aJobStarted(3)]);
    });

    it('fails when targets cannot be resolved', () => {
      spec
        .given([aJobCreated()])
        .when({ type: 'FailTargeting', jobId, reason: 'template "x" no longer exists', now })
        .then([{ type: 'JobFailed', data: { jobId, reason: 'template "x" no longer exists', completed: 0, failed: 0, endedAt: now } }]);
    });

    it('stops', () => {
      spec.given([aJobCreated()]).when({ type: 'StopJob', jobId, now }).then([aJobStopped()]);
    });
  });

  describe('when running', () => {
    it('completes when every device succeeded', () => {
      spec
        .given([aJobCreated(), aJobStarted()])
        .when({ type: 'FinishJob', jobId, completed: 3, failed: 0, notStarted: 0, now })
        .then([aJobCompleted()]);
    });

    it('fails when a device failed, saying how many', () => {
      spec
        .given([aJobCreated(), aJobStarted()])
        .when({ type: 'FinishJob', jobId, completed: 2, failed: 1, notStarted: 0, now })
        .then([{ type: 'JobFailed', data: { jobId, reason: '1 of 3 devices failed', completed: 2, failed: 1, endedAt: now } }]);
    });

    it('fails with the reason its rollout gave when the rollout halted it', () => {
      const abortReason = 'aborted: 67 % failed > 10 % after 3 devices';
      spec
        .given([aJobCreated(), aJobStarted()])
        .when({ type: 'FinishJob', jobId, completed: 1, failed: 2, notStarted: 0, now, abortReason })
        .then([{ type: 'JobFailed', data: { jobId, reason: abortReason, completed: 1, failed: 2, endedAt: now } }]);
    });

    it('ignores a repeated start', () => {
      spec.given([aJobCreated(), aJobStarted()]).when({ type: 'StartJob', jobId, total: 3, now }).then([]);
    });

    it('stops', () => {
      spec.given([aJobCreated(), aJobStarted()]).when({ type: 'StopJob', jobId, now }).then([aJobStopped()]);
    });
  });

  describe('when stopped', () => {
    it('stopping again changes nothing', () => {
      spec.given([aJobCreated(), aJobStarted(), aJobStopped()]).when({ type: 'StopJob', jobId, now }).then([]);
    });

    it('stays stopped when dispatch finishes afterwards', () => {
      spec
        .given([aJobCreated(), aJobStarted(), aJobStopped()])
        .when({ type: 'FinishJob', jobId, completed: 1, failed: 0, notStarted: 2, now })
        .then([]);
    });

    it('is never started again', () => {
      spec.given([aJobCreated(), aJobStopped()]).when({ type: 'StartJob', jobId, total: 3, now }).then([]);
    });
  });

  describe('when ended', () => {
    it('cannot be stopped', () => {
      spec.given([aJobCreated(), aJobStarted(), aJobCompleted()]).when({ type: 'StopJob', jobId, now }).thenThrows(JobAlreadyEnded);
    });

    it('ignores a repeated finish', () => {
      spec
        .given([aJobCreated(), aJobStarted(), aJobCompleted()])
        .when({ type: 'FinishJob', jobId, completed: 3, failed: 0, notStarted: 0, now })
        .then([]);
    });
  });

  it('cannot stop a job that does not exist', () => {
    spec.given([]).when({ type: 'StopJob', jobId, now }).thenThrows(JobNotFound);
  });
});
