import { DataReader, InvalidEventDataError } from '../data-reader';
import { EventEnvelope } from '../envelope';
import { JobOperation, OPERATION_TYPES, OperationType } from './job-operation';
import { readRollout, Rollout } from './rollout';
import { JobRolloutProgressed, readJobRolloutProgressed } from './job-rollout-progressed';
import { JobSchedule, JobStartReachedData, readJobSchedule } from './job-schedule';
import { SCHEDULE_EVENT_READERS, ScheduleTopicEvent } from './schedule-events';

/** A job was accepted: its definition, validated against the device set's template. */
export interface JobCreatedData {
  jobId: string;
  displayName: string;
  description: string;
  deviceSet: string;
  /** The explicit subset chosen by the user; `null` means every device of the set. */
  devices: string[] | null;
  operations: JobOperation[];
  /** The template the operations were checked against. */
  template: string;
  createdAt: string;
  /** How the devices are reached over time, as asked; absent: all at once (libs/rollout applies the defaults). */
  rollout?: Rollout;
  /** Present when the job waits for a second person's approval before anything is targeted or sent. */
  approval?: JobApprovalRequirement;
  /** Who asked for the job (id and name of the command's actor); absent when no actor was known. */
  createdBy?: ActorRef;
  /** The job this one reruns (`POST /api/jobs/{id}/rerun`); absent for a job created from a body. */
  rerunOf?: string;
  /**
   * The job this one reverts (`POST /api/jobs/{id}/revert`): each operation puts back, on each
   * device, the value that job's operation of the same type and name replaced (its `value` is
   * what that job wrote); absent for other jobs.
   */
  revertOf?: string;
  /** When the job may start; absent: at once. Until then it stays pending and nothing is targeted. */
  schedule?: JobSchedule;
  /**
   * Present when the job was created with `onConflict: queue` while active jobs wrote the same
   * property or setting on some of its devices: it stays pending and nothing is targeted or sent
   * until `JobReleased`, once every job named here has ended.
   */
  waitingFor?: string[];
  /** The recurring schedule this job is a run of (`ScheduleRunCreated`); absent for any other job. */
  scheduleId?: string;
  /** Which run of its schedule the job is, from 1; absent for a job of no schedule. */
  scheduleRun?: number;
}

/** A job that needs approval: it stays pending and starts nothing until `JobApproved`. */
export interface JobApprovalRequirement {
  required: true;
  /** Why: chosen by its creator, or the rule that asked for it. */
  reason: string;
}

/** A person or script named on an event: the `id` and `name` of an `Actor`. */
export interface ActorRef {
  id: string;
  name: string;
}

/** Someone other than the job's creator approved a job that required it; it may now be targeted. */
export interface JobApprovedData {
  jobId: string;
  approvedAt: string;
  /** Who approved (id and name of the command's actor, as on the envelope). */
  approvedBy?: ActorRef;
}

/** Every job a queued job waited for has ended; it may now be targeted (unless it also awaits approval). */
export interface JobReleasedData {
  jobId: string;
  releasedAt: string;
}

/** Targets were resolved and execution on devices begins. */
export interface JobStartedData {
  jobId: string;
  total: number;
  startedAt: string;
}

export interface JobStoppedData {
  jobId: string;
  stoppedAt: string;
}

/** The job starts nothing new until resumed; what was in flight finishes. */
export interface JobPausedData {
  jobId: string;
  pausedAt: string;
}

/** A paused job may start devices again. */
export interface JobResumedData {
  jobId: string;
  resumedAt: string;
}

/** Every device executed every operation. */
export interface JobCompletedData {
  jobId: string;
  completed: number;
  endedAt: string;
}

/** The job ended without fully executing on every device; `reason` says why. */
export interface JobFailedData {
  jobId: string;
  reason: string;
  completed: number;
  failed: number;
  endedAt: string;
}

/**
 * The job's last event: its status is final and every device outcome it will ever have is already
 * published before this event. A stopped job's in-flight devices may still report after
 * `JobStopped`; they never report after `JobSettled`.
 */
export interface JobSettledData {
  jobId: string;
  status: JobSettledStatus;
  completed: number;
  failed: number;
  /** Devices never started (the job was stopped or aborted first). */
  notStarted: number;
  settledAt: string;
}

export type JobSettledStatus = 'completed' | 'failed' | 'stopped';

/** One bounded chunk of the job's target snapshot (device-set, at job start). */
export interface JobTargetsResolvedData {
  jobId: string;
  chunk: number;
  /** `timeZone`: the device's `timezone` tag, as set; absent without one (the device is in UTC). */
  devices: { deviceId: string; displayName: string; timeZone?: string }[];
}

/** All chunks were published; `total` devices in `chunks` chunks. */
export interface JobTargetingCompletedData {
  jobId: string;
  total: number;
  chunks: number;
}

/** Targets could not be resolved (the set is broken or gone); the job cannot run. */
export interface JobTargetingFailedData {
  jobId: string;
  reason: string;
}

export interface DeviceSucceededData {
  jobId: string;
  deviceId: string;
  completedAt: string;
  /** Attempts made on the device, the successful one included; absent from older events. */
  attempts?: number;
}

export interface DeviceFailedData {
  jobId: string;
  deviceId: string;
  error: string;
  failedAt: string;
  /** Attempts made on the device, the last one included; absent from older events. */
  attempts?: number;
}

/** No device of the job is pending or in flight any more (dispatcher); counts are final. */
export interface JobDispatchFinishedData {
  jobId: string;
  completed: number;
  failed: number;
  /** Devices left unreached because the job was stopped. */
  notStarted: number;
  finishedAt: string;
  /** Why the job's rollout halted it (an abort rule tripped or a success gate failed); absent otherwise. */
  abortReason?: string;
}

export type JobCreated = EventEnvelope<'JobCreated', JobCreatedData>;
export type JobStarted = EventEnvelope<'JobStarted', JobStartedData>;
export type JobApproved = EventEnvelope<'JobApproved', JobApprovedData>;
export type JobStartReached = EventEnvelope<'JobStartReached', JobStartReachedData>;
export type JobReleased = EventEnvelope<'JobReleased', JobReleasedData>;
export type JobStopped = EventEnvelope<'JobStopped', JobStoppedData>;
export type JobPaused = EventEnvelope<'JobPaused', JobPausedData>;
export type JobResumed = EventEnvelope<'JobResumed', JobResumedData>;
export type JobCompleted = EventEnvelope<'JobCompleted', JobCompletedData>;
export type JobFailed = EventEnvelope<'JobFailed', JobFailedData>;
export type JobSettled = EventEnvelope<'JobSettled', JobSettledData>;
export type JobTargetsResolved = EventEnvelope<'JobTargetsResolved', JobTargetsResolvedData>;
export type JobTargetingCompleted = EventEnvelope<'JobTargetingCompleted', JobTargetingCompletedData>;
export type JobTargetingFailed = EventEnvelope<'JobTargetingFailed', JobTargetingFailedData>;
export type DeviceSucceeded = EventEnvelope<'DeviceSucceeded', DeviceSucceededData>;
export type DeviceFailed = EventEnvelope<'DeviceFailed', DeviceFailedData>;
export type JobDispatchFinished = EventEnvelope<'JobDispatchFinished', JobDispatchFinishedData>;

export type JobTopicEvent =
  | JobCreated
  | JobApproved
  | JobStartReached
  | JobReleased
  | JobStarted
  | JobStopped
  | JobPaused
  | JobResumed
  | JobCompleted
  | JobFailed
  | JobSettled
  | JobTargetsResolved
  | JobTargetingCompleted
  | JobTargetingFailed
  | DeviceSucceeded
  | DeviceFailed
  | JobDispatchFinished
  | JobRolloutProgressed
  | ScheduleTopicEvent;

export type JobTopicEventType = JobTopicEvent['type'];

function readOperation(r: DataReader): JobOperation {
  const type = r.string('type');
  if (!OPERATION_TYPES.includes(type as OperationType)) {
    throw new Error(`operation type "${type}" is not one of ${OPERATION_TYPES.join(', ')}`);
  }
  return { type: type as OperationType, name: r.string('name'), value: r.any('value') };
}

/** Current version and data reader of each job-topic event type. */
export const JOB_EVENT_READERS: { [K in JobTopicEventType]: (r: DataReader) => Extract<JobTopicEvent, { type: K }>['data'] } = {
  JobCreated: (r) => ({
    jobId: r.string('jobId'),
    displayName: r.string('displayName'),
    description: r.optionalString('description') ?? '',
    deviceSet: r.string('deviceSet'),
    devices: r.stringArrayOrNull('devices'),
    operations: r.array('operations', readOperation),
    template: r.string('template'),
    createdAt: r.string('createdAt'),
    ...(r.has('rollout') ? { rollout: readRollout(new DataReader('JobCreated.rollout', r.object('rollout'))) } : {}),
    ...(r.has('approval') ? { approval: readApprovalRequirement(r.nested('approval')) } : {}),
    ...(r.has('createdBy') ? { createdBy: readActorRef(r.nested('createdBy')) } : {}),
    ...(r.has('rerunOf') ? { rerunOf: r.string('rerunOf') } : {}),
    ...(r.has('schedule') ? { schedule: readJobSchedule(r.nested('schedule')) } : {}),
    ...(r.has('revertOf') ? { revertOf: r.string('revertOf') } : {}),
    ...(r.has('waitingFor') ? { waitingFor: r.stringArrayOrNull('waitingFor') ?? [] } : {}),
    ...(r.has('scheduleId') ? { scheduleId: r.string('scheduleId') } : {}),
    ...(r.has('scheduleRun') ? { scheduleRun: r.number('scheduleRun') } : {}),
  }),
  JobReleased: (r) => ({ jobId: r.string('jobId'), releasedAt: r.string('releasedAt') }),
  JobStartReached: (r) => ({ jobId: r.string('jobId'), startAt: r.string('startAt'), reachedAt: r.string('reachedAt') }),
  JobApproved: (r) => ({
    jobId: r.string('jobId'),
    approvedAt: r.string('approvedAt'),
    ...(r.has('approvedBy') ? { approvedBy: readActorRef(r.nested('approvedBy')) } : {}),
  }),
  JobStarted: (r) => ({ jobId: r.string('jobId'), total: r.number('total'), startedAt: r.string('startedAt') }),
  JobStopped: (r) => ({ jobId: r.string('jobId'), stoppedAt: r.string('stoppedAt') }),
  JobPaused: (r) => ({ jobId: r.string('jobId'), pausedAt: r.string('pausedAt') }),
  JobResumed: (r) => ({ jobId: r.string('jobId'), resumedAt: r.string('resumedAt') }),
  JobCompleted: (r) => ({ jobId: r.string('jobId'), completed: r.number('completed'), endedAt: r.string('endedAt') }),
  JobFailed: (r) => ({
    jobId: r.string('jobId'),
    reason: r.string('reason'),
    completed: r.number('completed'),
    failed: r.number('failed'),
    endedAt: r.string('endedAt'),
  }),
  JobSettled: (r) => ({
    jobId: r.string('jobId'),
    // Only job-command writes it, from its own decider; no reader decides on it.
    status: r.string('status') as JobSettledStatus,
    completed: r.number('completed'),
    failed: r.number('failed'),
    notStarted: r.number('notStarted'),
    settledAt: r.string('settledAt'),
  }),
  JobTargetsResolved: (r) => ({
    jobId: r.string('jobId'),
    chunk: r.number('chunk'),
    devices: r.array('devices', (d) => {
      // A zone that is not a string is no zone: the device is in UTC, and the chunk still reads.
      const timeZone = d.any('timeZone');
      return { deviceId: d.string('deviceId'), displayName: d.string('displayName'), ...(typeof timeZone === 'string' ? { timeZone } : {}) };
    }),
  }),
  JobTargetingCompleted: (r) => ({ jobId: r.string('jobId'), total: r.number('total'), chunks: r.number('chunks') }),
  JobTargetingFailed: (r) => ({ jobId: r.string('jobId'), reason: r.string('reason') }),
  DeviceSucceeded: (r) => ({
    jobId: r.string('jobId'),
    deviceId: r.string('deviceId'),
    completedAt: r.string('completedAt'),
    ...attemptsOf(r),
  }),
  DeviceFailed: (r) => ({
    jobId: r.string('jobId'),
    deviceId: r.string('deviceId'),
    error: r.string('error'),
    failedAt: r.string('failedAt'),
    ...attemptsOf(r),
  }),
  JobDispatchFinished: (r) => ({
    jobId: r.string('jobId'),
    completed: r.number('completed'),
    failed: r.number('failed'),
    notStarted: r.number('notStarted'),
    finishedAt: r.string('finishedAt'),
    ...(r.optionalString('abortReason') === undefined ? {} : { abortReason: r.optionalString('abortReason') as string }),
  }),
  JobRolloutProgressed: readJobRolloutProgressed,
  ...SCHEDULE_EVENT_READERS,
};

function readApprovalRequirement(r: DataReader): JobApprovalRequirement {
  if (r.boolean('required') !== true) throw new InvalidEventDataError('JobCreated.approval', 'required', 'true');
  return { required: true, reason: r.string('reason') };
}

function readActorRef(r: DataReader): ActorRef {
  return { id: r.string('id'), name: r.string('name') };
}

function attemptsOf(r: DataReader): { attempts?: number } {
  return r.has('attempts') && r.any('attempts') !== null ? { attempts: r.number('attempts') } : {};
}
