import { deciderSpec } from '@fleetjobs/event-sourcing/testing';
import { JobDefinition, JobEvent, jobDecider, JobState, sameDefinition, visibleStatus } from './job.decider';
import { JobAlreadyEnded, JobIdTakenByAnotherDefinition, JobNotFound, JobNotPaused, SelfApproval } from './job.errors';

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
const aJobSettled = (status: 'completed' | 'failed' | 'stopped', completed: number, failed: number, notStarted: number): JobEvent => ({
  type: 'JobSettled',
  data: { jobId, status, completed, failed, notStarted, settledAt: now },
});
const aJobPaused = (): JobEvent => ({ type: 'JobPaused', data: { jobId, pausedAt: now } });
const aJobResumed = (): JobEvent => ({ type: 'JobResumed', data: { jobId, resumedAt: now } });
const alice = { id: 'user:alice', name: 'Alice' };
const bob = { id: 'user:bob', name: 'Bob' };
const approval = { required: true as const, reason: 'requested by its creator' };
const aJobNeedingApproval = (): JobEvent => ({
  type: 'JobCreated',
  data: { jobId, ...definition, template: 'vending-machine', createdAt: now, approval, createdBy: alice },
});
const aJobApproved = (by = bob): JobEvent => ({ type: 'JobApproved', data: { jobId, approvedAt: now, approvedBy: by } });
const approveBy = (approver: { id: string; name: string }) => ({ type: 'ApproveJob' as const, jobId, approver, now });
const pause = { type: 'PauseJob' as const, jobId, now };
const resume = { type: 'ResumeJob' as const, jobId, now };

/** The status a user is shown after the given history. */
function statusAfter(events: JobEvent[]): string {
  const state = events.reduce(jobDecider.evolve, jobDecider.initialState()) as Exclude<JobState, { status: 'none' }>;
  return visibleStatus(state);
}

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
        .then([aJobCompleted(), aJobSettled('completed', 3, 0, 0)]);
    });

    it('fails when a device failed, saying how many', () => {
      spec
        .given([aJobCreated(), aJobStarted()])
        .when({ type: 'FinishJob', jobId, completed: 2, failed: 1, notStarted: 0, now })
        .then([
          { type: 'JobFailed', data: { jobId, reason: '1 of 3 devices failed', completed: 2, failed: 1, endedAt: now } },
          aJobSettled('failed', 2, 1, 0),
        ]);
    });

    it('fails with the reason its rollout gave when the rollout halted it', () => {
      const abortReason = 'aborted: 67 % failed > 10 % after 3 devices';
      spec
        .given([aJobCreated(), aJobStarted()])
        .when({ type: 'FinishJob', jobId, completed: 1, failed: 2, notStarted: 0, now, abortReason })
        .then([
          { type: 'JobFailed', data: { jobId, reason: abortReason, completed: 1, failed: 2, endedAt: now } },
          aJobSettled('failed', 1, 2, 0),
        ]);
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

    it('stays stopped when dispatch finishes afterwards, and settles with the final counts then', () => {
      spec
        .given([aJobCreated(), aJobStarted(), aJobStopped()])
        .when({ type: 'FinishJob', jobId, completed: 1, failed: 0, notStarted: 2, now })
        .then([aJobSettled('stopped', 1, 0, 2)]);
      expect(statusAfter([aJobCreated(), aJobStarted(), aJobStopped(), aJobSettled('stopped', 1, 0, 2)])).toBe('stopped');
    });

    it('settles once: a repeated dispatch finish changes nothing', () => {
      spec
        .given([aJobCreated(), aJobStarted(), aJobStopped(), aJobSettled('stopped', 1, 0, 2)])
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

    it('settles when its targeting failed once the dispatch reports its end', () => {
      const targetingFailed: JobEvent = { type: 'JobFailed', data: { jobId, reason: 'set gone', completed: 0, failed: 0, endedAt: now } };
      spec
        .given([aJobCreated(), targetingFailed])
        .when({ type: 'FinishJob', jobId, completed: 0, failed: 0, notStarted: 0, now })
        .then([aJobSettled('failed', 0, 0, 0)]);
    });

    it('ignores a repeated finish', () => {
      spec
        .given([aJobCreated(), aJobStarted(), aJobCompleted(), aJobSettled('completed', 3, 0, 0)])
        .when({ type: 'FinishJob', jobId, completed: 3, failed: 0, notStarted: 0, now })
        .then([]);
    });
  });

  describe('pause and resume', () => {
    it('pauses a running job', () => {
      spec.given([aJobCreated(), aJobStarted()]).when(pause).then([aJobPaused()]);
    });

    it('pauses a pending job: it will start paused', () => {
      spec.given([aJobCreated()]).when(pause).then([aJobPaused()]);
    });

    it('pausing again changes nothing', () => {
      spec.given([aJobCreated(), aJobStarted(), aJobPaused()]).when(pause).then([]);
    });

    it('resumes a paused job', () => {
      spec.given([aJobCreated(), aJobStarted(), aJobPaused()]).when(resume).then([aJobResumed()]);
    });

    it('pauses again after a resume', () => {
      spec.given([aJobCreated(), aJobStarted(), aJobPaused(), aJobResumed()]).when(pause).then([aJobPaused()]);
    });

    it('refuses to resume a job that is not paused, saying so', () => {
      spec.given([aJobCreated(), aJobStarted()]).when(resume).thenThrows(JobNotPaused);
    });

    it('refuses to resume a job resumed already', () => {
      spec.given([aJobCreated(), aJobStarted(), aJobPaused(), aJobResumed()]).when(resume).thenThrows(JobNotPaused);
    });

    it.each([
      ['completed', [aJobCreated(), aJobStarted(), aJobCompleted()]],
      ['stopped', [aJobCreated(), aJobStarted(), aJobStopped()]],
      ['stopped while paused', [aJobCreated(), aJobStarted(), aJobPaused(), aJobStopped()]],
    ])('cannot pause or resume a job that ended (%s)', (_name, history) => {
      spec.given(history).when(pause).thenThrows(JobAlreadyEnded);
      spec.given(history).when(resume).thenThrows(JobAlreadyEnded);
    });

    it('cannot pause or resume a job that does not exist', () => {
      spec.given([]).when(pause).thenThrows(JobNotFound);
      spec.given([]).when(resume).thenThrows(JobNotFound);
    });

    it('stops a paused job for good', () => {
      spec.given([aJobCreated(), aJobStarted(), aJobPaused()]).when({ type: 'StopJob', jobId, now }).then([aJobStopped()]);
    });

    it('starts a job paused while pending, which stays paused', () => {
      spec.given([aJobCreated(), aJobPaused()]).when({ type: 'StartJob', jobId, total: 3, now }).then([aJobStarted(3)]);
      expect(statusAfter([aJobCreated(), aJobPaused(), aJobStarted(3)])).toBe('paused');
    });

    it('finishes a paused job its rollout halted', () => {
      const abortReason = 'aborted: 67 % failed > 10 % after 3 devices';
      spec
        .given([aJobCreated(), aJobStarted(), aJobPaused()])
        .when({ type: 'FinishJob', jobId, completed: 1, failed: 2, notStarted: 0, now, abortReason })
        .then([
          { type: 'JobFailed', data: { jobId, reason: abortReason, completed: 1, failed: 2, endedAt: now } },
          aJobSettled('failed', 1, 2, 0),
        ]);
    });

    it('shows paused while paused, and what it was once resumed or ended', () => {
      expect(statusAfter([aJobCreated(), aJobStarted(), aJobPaused()])).toBe('paused');
      expect(statusAfter([aJobCreated(), aJobStarted(), aJobPaused(), aJobResumed()])).toBe('running');
      expect(statusAfter([aJobCreated(), aJobPaused(), aJobResumed()])).toBe('pending');
      expect(statusAfter([aJobCreated(), aJobStarted(), aJobPaused(), aJobStopped()])).toBe('stopped');
    });
  });

  it('cannot stop a job that does not exist', () => {
    spec.given([]).when({ type: 'StopJob', jobId, now }).thenThrows(JobNotFound);
  });

  describe('two-person approval', () => {
    it('creates a job that needs approval, naming its creator and why', () => {
      spec
        .given([])
        .when({ type: 'CreateJob', jobId, definition, template: 'vending-machine', now, approval, createdBy: alice })
        .then([aJobNeedingApproval()]);
    });

    it('is approved by someone other than its creator', () => {
      spec.given([aJobNeedingApproval()]).when(approveBy(bob)).then([aJobApproved(bob)]);
    });

    it('refuses its creator as approver', () => {
      spec.given([aJobNeedingApproval()]).when(approveBy(alice)).thenThrows(SelfApproval);
    });

    it('approving a job that needs no approval changes nothing', () => {
      spec.given([aJobCreated()]).when(approveBy(bob)).then([]);
    });

    it('approving twice changes nothing', () => {
      spec.given([aJobNeedingApproval(), aJobApproved()]).when(approveBy(bob)).then([]);
    });

    it('cannot approve a job that ended before its approval', () => {
      spec.given([aJobNeedingApproval(), aJobStopped()]).when(approveBy(bob)).thenThrows(JobAlreadyEnded);
    });

    it('cannot approve a job that does not exist', () => {
      spec.given([]).when(approveBy(bob)).thenThrows(JobNotFound);
    });

    it('stops before its approval: stopped, and never approved or started afterwards', () => {
      spec.given([aJobNeedingApproval()]).when({ type: 'StopJob', jobId, now }).then([aJobStopped(), aJobSettled('stopped', 0, 0, 0)]);
      spec.given([aJobNeedingApproval(), aJobStopped()]).when({ type: 'StartJob', jobId, total: 3, now }).then([]);
    });

    it('stopped after its approval, it settles only when the dispatch reports its end', () => {
      spec.given([aJobNeedingApproval(), aJobApproved()]).when({ type: 'StopJob', jobId, now }).then([aJobStopped()]);
    });

    it('stays pending while awaiting approval and after it', () => {
      expect(statusAfter([aJobNeedingApproval()])).toBe('pending');
      expect(statusAfter([aJobNeedingApproval(), aJobApproved()])).toBe('pending');
    });
  });
});
