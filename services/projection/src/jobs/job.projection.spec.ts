import { FleetEvent } from '@fleetjobs/contracts';
import { projectionSpec } from '@fleetjobs/event-sourcing/testing';
import {
  aDeviceFailed,
  aDeviceSucceeded,
  aJobApproved,
  aJobCompleted,
  aJobCreated,
  aJobFailed,
  aJobPaused,
  aJobResumed,
  aJobSettled,
  aJobStarted,
  aJobStopped,
  aJobTargetingCompleted,
  aJobTargetingFailed,
  aJobTargetsResolved,
  anUnknownEvent,
} from '../testing/job-event.builders';
import { evolveJob, JobRow } from './job.projection';

const spec = projectionSpec<JobRow, FleetEvent>(evolveJob);
const JOB = 'job-1';
const created = aJobCreated(JOB, { displayName: 'Raise fan speed', devices: ['vm-1', 'vm-2'] });

describe('evolveJob', () => {
  describe('each event on its own', () => {
    it('JobCreated writes the definition as a pending job', () => {
      spec.given([]).when(created).then({
        id: JOB,
        displayName: 'Raise fan speed',
        description: 'Raise fan speed',
        deviceSet: 'seattle-vms',
        devices: ['vm-1', 'vm-2'],
        operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
        status: 'pending',
        error: null,
        createdAt: '2026-03-01T10:00:00.000Z',
        startedAt: null,
        endedAt: null,
        targetTotal: null,
      });
    });

    it('JobStarted makes a pending job running and records when', () => {
      spec.given([created]).when(aJobStarted(JOB, 3, '2026-03-01T10:00:02.000Z')).then({
        status: 'running',
        startedAt: '2026-03-01T10:00:02.000Z',
        targetTotal: 3,
      });
    });

    it('JobStopped ends the job as stopped', () => {
      spec.given([created, aJobStarted(JOB)]).when(aJobStopped(JOB, '2026-03-01T10:05:00.000Z')).then({
        status: 'stopped',
        endedAt: '2026-03-01T10:05:00.000Z',
      });
    });

    it('JobPaused shows a running job paused', () => {
      spec.given([created, aJobStarted(JOB)]).when(aJobPaused(JOB)).then({ status: 'paused', endedAt: null });
    });

    it('JobResumed makes a paused job running again', () => {
      spec.given([created, aJobStarted(JOB), aJobPaused(JOB)]).when(aJobResumed(JOB)).then({ status: 'running' });
    });

    it('JobResumed of a job paused before it started makes it pending again', () => {
      spec.given([created, aJobPaused(JOB)]).when(aJobResumed(JOB)).then({ status: 'pending' });
    });

    it('JobStarted of a paused job keeps it paused and records when', () => {
      spec.given([created, aJobPaused(JOB)]).when(aJobStarted(JOB, 3, '2026-03-01T10:00:02.000Z')).then({
        status: 'paused',
        startedAt: '2026-03-01T10:00:02.000Z',
      });
    });

    it('JobStopped ends a paused job as stopped', () => {
      spec.given([created, aJobStarted(JOB), aJobPaused(JOB)]).when(aJobStopped(JOB)).then({ status: 'stopped' });
    });

    it('JobCompleted ends the job as completed', () => {
      spec.given([created, aJobStarted(JOB)]).when(aJobCompleted(JOB, '2026-03-01T10:06:00.000Z')).then({
        status: 'completed',
        endedAt: '2026-03-01T10:06:00.000Z',
        error: null,
      });
    });

    it('JobFailed ends the job as failed with its reason', () => {
      spec.given([created]).when(aJobFailed(JOB, 'device set "x" is broken')).then({
        status: 'failed',
        error: 'device set "x" is broken',
        endedAt: '2026-03-01T10:06:00.000Z',
      });
    });

    it('JobSettled records when the outcomes became final, and changes nothing else', () => {
      spec
        .given([created, aJobStarted(JOB), aJobStopped(JOB, '2026-03-01T10:05:00.000Z')])
        .when(aJobSettled(JOB, 'stopped', '2026-03-01T10:07:00.000Z'))
        .then({ status: 'stopped', endedAt: '2026-03-01T10:05:00.000Z', settledAt: '2026-03-01T10:07:00.000Z' });
    });

    it('a job is not settled until JobSettled, however it ended', () => {
      spec.given([created, aJobStarted(JOB)]).when(aJobStopped(JOB)).then({ status: 'stopped', settledAt: null });
    });

    it('JobTargetingCompleted records the target total', () => {
      spec.given([created]).when(aJobTargetingCompleted(JOB, 1200)).then({ targetTotal: 1200, status: 'pending' });
    });

    it('JobTargetingFailed keeps the reason without deciding the status', () => {
      spec.given([created]).when(aJobTargetingFailed(JOB, 'set is broken')).then({ status: 'pending', error: 'set is broken' });
    });

    it('target chunks and device outcomes leave the job row as it is', () => {
      spec.given([created]).when(aJobTargetsResolved(JOB, ['vm-1'])).thenUnchanged();
      spec.given([created, aJobStarted(JOB)]).when(aDeviceSucceeded(JOB, 'vm-1')).thenUnchanged();
      spec.given([created, aJobStarted(JOB)]).when(aDeviceFailed(JOB, 'vm-1')).thenUnchanged();
    });

    it('an unknown event type leaves the row unchanged, and creates nothing', () => {
      spec.given([created, aJobStarted(JOB)]).when(anUnknownEvent(JOB)).thenUnchanged();
      spec.given([]).when(anUnknownEvent(JOB)).then(null);
    });
  });

  describe('the same event twice changes nothing', () => {
    it.each([
      ['JobCreated', created],
      ['JobStarted', aJobStarted(JOB, 2)],
      ['JobStopped', aJobStopped(JOB)],
      ['JobCompleted', aJobCompleted(JOB)],
      ['JobFailed', aJobFailed(JOB)],
      ['JobTargetingCompleted', aJobTargetingCompleted(JOB, 2)],
      ['JobTargetingFailed', aJobTargetingFailed(JOB)],
    ])('%s', (_name, event) => {
      spec.given([created, event]).when(event).thenUnchanged();
    });

    it('a second JobCreated with another body does not rewrite the definition', () => {
      spec.given([created]).when(aJobCreated(JOB, { displayName: 'Other' })).thenUnchanged();
    });
  });

  describe('out of order', () => {
    it('a device outcome before JobCreated creates a placeholder that JobCreated fills in', () => {
      spec.given([]).when(aDeviceSucceeded(JOB, 'vm-1')).then({ id: JOB, status: 'pending', createdAt: null, displayName: '' });
      spec.given([aDeviceSucceeded(JOB, 'vm-1')]).when(created).then({
        displayName: 'Raise fan speed',
        status: 'pending',
        createdAt: '2026-03-01T10:00:00.000Z',
      });
    });

    it('target chunks before JobCreated create a placeholder too', () => {
      spec.given([]).when(aJobTargetsResolved(JOB, ['vm-1'])).then({ id: JOB, createdAt: null });
    });

    it('JobCreated after the job ended keeps the terminal status and fills in the definition', () => {
      spec.given([aJobStarted(JOB), aJobCompleted(JOB)]).when(created).then({
        status: 'completed',
        displayName: 'Raise fan speed',
        startedAt: '2026-03-01T10:00:01.000Z',
      });
    });

    it('JobStarted after JobCompleted does not reopen the job', () => {
      spec.given([created, aJobCompleted(JOB)]).when(aJobStarted(JOB, 2, '2026-03-01T10:00:01.000Z')).then({
        status: 'completed',
        startedAt: '2026-03-01T10:00:01.000Z',
      });
    });

    it.each([
      ['JobStopped', aJobStopped(JOB)],
      ['JobCompleted', aJobCompleted(JOB, '2026-03-02T00:00:00.000Z')],
      ['JobFailed', aJobFailed(JOB, 'late', '2026-03-02T00:00:00.000Z')],
      ['JobTargetingFailed', aJobTargetingFailed(JOB, 'late')],
      ['JobPaused', aJobPaused(JOB)],
      ['JobResumed', aJobResumed(JOB)],
    ])('a terminal status never changes: %s after JobStopped', (_name, event) => {
      spec.given([created, aJobStarted(JOB), aJobStopped(JOB)]).when(event).thenUnchanged();
    });

    it('JobStopped then a late DeviceSucceeded: the status stays stopped', () => {
      spec.given([created, aJobStarted(JOB), aJobStopped(JOB)]).when(aDeviceSucceeded(JOB, 'vm-1')).then({ status: 'stopped' });
    });

    it('a repeated JobSettled keeps the first time', () => {
      spec
        .given([created, aJobStopped(JOB), aJobSettled(JOB, 'stopped', '2026-03-01T10:07:00.000Z')])
        .when(aJobSettled(JOB, 'stopped', '2026-03-01T10:09:00.000Z'))
        .then({ settledAt: '2026-03-01T10:07:00.000Z' });
    });

    it('JobCompleted before the last outcomes: the job stays completed as they arrive', () => {
      spec.given([created, aJobStarted(JOB), aJobCompleted(JOB)]).when(aDeviceFailed(JOB, 'vm-2')).then({ status: 'completed' });
    });

    it('falls back to the event time when the data carries no valid time', () => {
      const event = aJobStopped(JOB, 'not a time');
      spec.given([created]).when({ ...event, time: '2026-03-01T11:00:00Z' }).then({ endedAt: '2026-03-01T11:00:00.000Z' });
    });
  });

  describe('who created and who stopped the job', () => {
    const ada = { id: 'user:ada', name: 'Ada', role: 'operator' as const, address: '10.0.0.7' };
    const bob = { id: 'token:ci', name: 'ci', role: 'administrator' as const };

    it('JobCreated names its actor (id and name only); without one, nobody', () => {
      spec.given([]).when({ ...created, actor: ada }).then({ createdBy: { id: 'user:ada', name: 'Ada' }, stoppedBy: null });
      spec.given([]).when(created).then({ createdBy: null, stoppedBy: null });
    });

    it('the JobStopped that ends the job names who stopped it', () => {
      spec
        .given([{ ...created, actor: ada }, aJobStarted(JOB)])
        .when({ ...aJobStopped(JOB), actor: bob })
        .then({ status: 'stopped', createdBy: { id: 'user:ada', name: 'Ada' }, stoppedBy: { id: 'token:ci', name: 'ci' } });
    });

    it('a stop after the job ended names nobody', () => {
      spec.given([created, aJobCompleted(JOB)]).when({ ...aJobStopped(JOB), actor: bob }).thenUnchanged();
    });

    it('a stop before JobCreated keeps its actor when the definition arrives', () => {
      spec
        .given([{ ...aJobStopped(JOB), actor: bob }])
        .when({ ...created, actor: ada })
        .then({ status: 'stopped', createdBy: { id: 'user:ada', name: 'Ada' }, stoppedBy: { id: 'token:ci', name: 'ci' } });
    });
  });

  describe('two-person approval', () => {
    const approval = { required: true as const, reason: 'requested by its creator' };
    const needsApproval = aJobCreated(JOB, { approval });

    it('a job that needs no approval shows approval null', () => {
      spec.given([]).when(created).then({ approval: null });
    });

    it('JobCreated of a job that needs approval shows it pending and not yet approved', () => {
      spec.given([]).when(needsApproval).then({ status: 'pending', approval: { ...approval, approvedBy: null, approvedAt: null } });
    });

    it('JobApproved records who approved and when; the job stays pending until it starts', () => {
      spec.given([needsApproval]).when(aJobApproved(JOB)).then({
        status: 'pending',
        approval: { ...approval, approvedBy: { id: 'user:bob', name: 'Bob' }, approvedAt: '2026-03-01T10:01:00.000Z' },
      });
    });

    it('a repeated JobApproved changes nothing', () => {
      spec.given([needsApproval, aJobApproved(JOB)]).when(aJobApproved(JOB, '2026-03-01T11:00:00.000Z', { id: 'user:carol', name: 'Carol' })).then({
        approval: { ...approval, approvedBy: { id: 'user:bob', name: 'Bob' }, approvedAt: '2026-03-01T10:01:00.000Z' },
      });
    });

    it('JobApproved before JobCreated keeps the approval and takes the reason from JobCreated', () => {
      spec.given([aJobApproved(JOB)]).when(needsApproval).then({
        displayName: `Job ${JOB}`,
        approval: { ...approval, approvedBy: { id: 'user:bob', name: 'Bob' }, approvedAt: '2026-03-01T10:01:00.000Z' },
      });
    });
  });
});

describe('a job queued behind conflicting jobs', () => {
  const queued = aJobCreated('queued-1', { waitingFor: ['job-a', 'job-b'] });
  const released = { ...aJobResumed('queued-1'), type: 'JobReleased', data: { jobId: 'queued-1', releasedAt: '2026-03-01T10:05:00.000Z' } } as FleetEvent;
  const after = (events: FleetEvent[]) => events.reduce<JobRow | null>(evolveJob, null);

  it('keeps the jobs it waits for from JobCreated, unreleased', () => {
    expect(after([queued])).toMatchObject({ waitingFor: ['job-a', 'job-b'], releasedAt: null, status: 'pending' });
  });

  it('is released by JobReleased, whichever comes first, and once', () => {
    const releasedAt = '2026-03-01T10:05:00.000Z';
    expect(after([queued, released])).toMatchObject({ waitingFor: ['job-a', 'job-b'], releasedAt });
    expect(after([released, queued])).toMatchObject({ waitingFor: ['job-a', 'job-b'], releasedAt });
    expect(after([queued, released, { ...released, data: { jobId: 'queued-1', releasedAt: '2026-03-01T11:00:00.000Z' } } as FleetEvent])?.releasedAt).toBe(releasedAt);
  });
});
