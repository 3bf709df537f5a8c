import { DataReader, InvalidEventDataError } from '../data-reader';
import { EventEnvelope } from '../envelope';
import type { ActorRef, JobApprovalRequirement } from './job-events';
import { JobOperation, OPERATION_TYPES, OperationType } from './job-operation';
import { readRollout, Rollout } from './rollout';
import { JobSchedule, readJobSchedule } from './job-schedule';

/**
 * How a recurring schedule repeats: a cron expression (5 fields, or 6 with seconds first) read in
 * `timeZone`, until `endAt` or for `count` runs (not both; neither: for ever).
 */
export interface ScheduleRecurrence {
  cron: string;
  /** IANA zone the expression's hours and days are read in; UTC when absent. */
  timeZone?: string;
  endAt?: string;
  count?: number;
}

/**
 * A recurring schedule was made (a job body with `schedule.recurrence`): what each of its runs
 * does, and when they start. Its runs are jobs of their own (`ScheduleRunCreated`).
 */
export interface ScheduleCreatedData {
  scheduleId: string;
  displayName: string;
  description: string;
  deviceSet: string;
  devices: string[] | null;
  operations: JobOperation[];
  /** The template the operations were checked against. */
  template: string;
  rollout?: Rollout;
  /**
   * No run starts before `startAt` (absent: from the schedule's creation on); each run starts its
   * devices only inside `windows` (absent: at any time). Absent: neither.
   */
  schedule?: JobSchedule;
  recurrence: ScheduleRecurrence;
  /** Each run waits for a second person's approval, as the first did. */
  approval?: JobApprovalRequirement;
  createdAt: string;
  createdBy?: ActorRef;
}

/**
 * The schedule's run `run` was created: job `jobId`, pending until `startAt`. A run created while
 * the schedule had a pending run means that run's start came (it runs, or waits for the one before).
 */
export interface ScheduleRunCreatedData {
  scheduleId: string;
  run: number;
  jobId: string;
  startAt: string;
}

/** No run is created until `ScheduleResumed`; its pending run, if it had one, was stopped. */
export interface SchedulePausedData {
  scheduleId: string;
  pausedAt: string;
  /** The pending run stopped with the pause; absent when there was none. */
  stoppedRunId?: string;
}

export interface ScheduleResumedData {
  scheduleId: string;
  resumedAt: string;
}

/** No further run will be created: its count was reached, or no occurrence is left before its `endAt`. */
export interface ScheduleEndedData {
  scheduleId: string;
  /** Runs whose start came, in all. */
  runs: number;
  endedAt: string;
}

/** The schedule is gone; its runs stay as jobs. Its pending run, if it had one, was stopped. */
export interface ScheduleDeletedData {
  scheduleId: string;
  deletedAt: string;
  stoppedRunId?: string;
}

export type ScheduleCreated = EventEnvelope<'ScheduleCreated', ScheduleCreatedData>;
export type ScheduleRunCreated = EventEnvelope<'ScheduleRunCreated', ScheduleRunCreatedData>;
export type SchedulePaused = EventEnvelope<'SchedulePaused', SchedulePausedData>;
export type ScheduleResumed = EventEnvelope<'ScheduleResumed', ScheduleResumedData>;
export type ScheduleEnded = EventEnvelope<'ScheduleEnded', ScheduleEndedData>;
export type ScheduleDeleted = EventEnvelope<'ScheduleDeleted', ScheduleDeletedData>;

export type ScheduleTopicEvent = ScheduleCreated | ScheduleRunCreated | SchedulePaused | ScheduleResumed | ScheduleEnded | ScheduleDeleted;

/**
 * Schedules' events go to the jobs topic, keyed `schedules/{scheduleId}` (a key no job id can
 * take, as `/` is not allowed in ids): one schedule's events stay in order.
 */
export const scheduleStreamId = (scheduleId: string): string => `schedules/${scheduleId}`;

function readOperation(r: DataReader): JobOperation {
  const type = r.string('type');
  if (!OPERATION_TYPES.includes(type as OperationType)) throw new Error(`operation type "${type}" is not one of ${OPERATION_TYPES.join(', ')}`);
  return { type: type as OperationType, name: r.string('name'), value: r.any('value') };
}

function readRecurrence(r: DataReader): ScheduleRecurrence {
  return {
    cron: r.string('cron'),
    ...(r.has('timeZone') ? { timeZone: r.string('timeZone') } : {}),
    ...(r.has('endAt') ? { endAt: r.string('endAt') } : {}),
    ...(r.has('count') ? { count: r.number('count') } : {}),
  };
}

function readApproval(r: DataReader): JobApprovalRequirement {
  if (r.boolean('required') !== true) throw new InvalidEventDataError('ScheduleCreated.approval', 'required', 'true');
  return { required: true, reason: r.string('reason') };
}

const stoppedRun = (r: DataReader) => (r.has('stoppedRunId') ? { stoppedRunId: r.string('stoppedRunId') } : {});

/** Current version and data reader of each schedule event type (on the jobs topic). */
export const SCHEDULE_EVENT_READERS: { [K in ScheduleTopicEvent['type']]: (r: DataReader) => Extract<ScheduleTopicEvent, { type: K }>['data'] } = {
  ScheduleCreated: (r) => ({
    scheduleId: r.string('scheduleId'),
    displayName: r.string('displayName'),
    description: r.optionalString('description') ?? '',
    deviceSet: r.string('deviceSet'),
    devices: r.stringArrayOrNull('devices'),
    operations: r.array('operations', readOperation),
    template: r.string('template'),
    ...(r.has('rollout') ? { rollout: readRollout(new DataReader('ScheduleCreated.rollout', r.object('rollout'))) } : {}),
    ...(r.has('schedule') ? { schedule: readJobSchedule(r.nested('schedule')) } : {}),
    recurrence: readRecurrence(r.nested('recurrence')),
    ...(r.has('approval') ? { approval: readApproval(r.nested('approval')) } : {}),
    createdAt: r.string('createdAt'),
    ...(r.has('createdBy') ? { createdBy: { id: r.nested('createdBy').string('id'), name: r.nested('createdBy').string('name') } } : {}),
  }),
  ScheduleRunCreated: (r) => ({ scheduleId: r.string('scheduleId'), run: r.number('run'), jobId: r.string('jobId'), startAt: r.string('startAt') }),
  SchedulePaused: (r) => ({ scheduleId: r.string('scheduleId'), pausedAt: r.string('pausedAt'), ...stoppedRun(r) }),
  ScheduleResumed: (r) => ({ scheduleId: r.string('scheduleId'), resumedAt: r.string('resumedAt') }),
  ScheduleEnded: (r) => ({ scheduleId: r.string('scheduleId'), runs: r.number('runs'), endedAt: r.string('endedAt') }),
  ScheduleDeleted: (r) => ({ scheduleId: r.string('scheduleId'), deletedAt: r.string('deletedAt'), ...stoppedRun(r) }),
};
