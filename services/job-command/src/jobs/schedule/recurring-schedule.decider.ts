import type {
  ScheduleCreatedData,
  ScheduleDeletedData,
  ScheduleEndedData,
  SchedulePausedData,
  ScheduleResumedData,
  ScheduleRunCreatedData,
} from '@fleetjobs/contracts';
import { assertNever, Decider } from '@fleetjobs/event-sourcing';
import { occurrenceAfter } from './recurrence.policy';
import { NoOccurrenceLeft, ScheduleAlreadyEnded, ScheduleIdTaken, ScheduleNotFound } from './recurring-schedule.errors';

export type ScheduleEvent =
  | { type: 'ScheduleCreated'; data: ScheduleCreatedData }
  | { type: 'ScheduleRunCreated'; data: ScheduleRunCreatedData }
  | { type: 'SchedulePaused'; data: SchedulePausedData }
  | { type: 'ScheduleResumed'; data: ScheduleResumedData }
  | { type: 'ScheduleEnded'; data: ScheduleEndedData }
  | { type: 'ScheduleDeleted'; data: ScheduleDeletedData };

export type ScheduleCommand =
  | { type: 'CreateSchedule'; schedule: ScheduleCreatedData }
  /** Run `jobId` reached its start, or was stopped before it: the next run is due. */
  | { type: 'PassRun'; scheduleId: string; jobId: string; now: string }
  | { type: 'PauseSchedule'; scheduleId: string; now: string }
  | { type: 'ResumeSchedule'; scheduleId: string; now: string }
  | { type: 'DeleteSchedule'; scheduleId: string; now: string };

export interface ScheduledRun {
  run: number;
  jobId: string;
  startAt: string;
}

export type ScheduleState =
  | { status: 'none' }
  | {
      status: 'active' | 'paused' | 'ended' | 'deleted';
      schedule: ScheduleCreatedData;
      /** Runs created so far, the pending one and those stopped by a pause included. */
      runs: number;
      /** Runs whose start came (counted against `count`). */
      started: number;
      /** The run waiting for its start; null while paused, once ended or deleted. */
      nextRun: ScheduledRun | null;
      /** The latest run whose start came. */
      lastRunId: string | null;
    };

export type KnownSchedule = Exclude<ScheduleState, { status: 'none' }>;

/** Run n of a schedule is job `{scheduleId}.run-{n}`. */
export const runJobId = (scheduleId: string, run: number): string => `${scheduleId}.run-${run}`;

/** The longest schedule id whose runs' ids stay within 128 characters up to run 999,999,999. */
export const MAX_SCHEDULE_ID_LENGTH = 128 - '.run-'.length - 9;

/**
 * The first run at or after `startAt` (when given and ahead), else after `now`; `started` runs
 * already counted against the schedule's count.
 */
export function firstRunAfter(schedule: Pick<ScheduleCreatedData, 'recurrence' | 'schedule'>, now: string, started: number): string | null {
  const startAt = schedule.schedule?.startAt;
  const notBefore = startAt !== undefined ? Date.parse(startAt) - 1 : -Infinity;
  const next = occurrenceAfter(schedule.recurrence, new Date(Math.max(Date.parse(now), notBefore)), started);
  return next ? next.toISOString() : null;
}

/** What makes two requests the same schedule: not when or by whom it was made, nor the template read. */
export function sameSchedule(a: ScheduleCreatedData, b: ScheduleCreatedData): boolean {
  const definition = ({ displayName, description, deviceSet, devices, operations, rollout, schedule, recurrence }: ScheduleCreatedData) =>
    canonicalJson({ displayName, description, deviceSet, devices, operations, rollout, schedule, recurrence });
  return definition(a) === definition(b);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function runCreated(scheduleId: string, run: number, startAt: string): ScheduleEvent {
  return { type: 'ScheduleRunCreated', data: { scheduleId, run, jobId: runJobId(scheduleId, run), startAt } };
}

function createSchedule({ schedule }: Extract<ScheduleCommand, { type: 'CreateSchedule' }>, state: ScheduleState): ScheduleEvent[] {
  if (state.status !== 'none') {
    if (state.status !== 'deleted' && sameSchedule(state.schedule, schedule)) return [];
    throw new ScheduleIdTaken(schedule.scheduleId);
  }
  const first = firstRunAfter(schedule, schedule.createdAt, 0);
  if (first === null) throw new NoOccurrenceLeft(schedule.scheduleId);
  return [{ type: 'ScheduleCreated', data: schedule }, runCreated(schedule.scheduleId, 1, first)];
}

/** The run after the pending one, or the end: the pending run's start came (or it was stopped before). */
function passRun(command: Extract<ScheduleCommand, { type: 'PassRun' }>, state: ScheduleState): ScheduleEvent[] {
  if (state.status !== 'active' || state.nextRun?.jobId !== command.jobId) return [];
  const started = state.started + 1;
  // Runs missed while nothing polled are not made up: the next is the first after now.
  const after = new Date(Math.max(Date.parse(state.nextRun.startAt), Date.parse(command.now)));
  const next = occurrenceAfter(state.schedule.recurrence, after, started);
  if (next === null) return [{ type: 'ScheduleEnded', data: { scheduleId: command.scheduleId, runs: started, endedAt: command.now } }];
  return [runCreated(command.scheduleId, state.runs + 1, next.toISOString())];
}

function known(state: ScheduleState, scheduleId: string): KnownSchedule {
  if (state.status === 'none' || state.status === 'deleted') throw new ScheduleNotFound(scheduleId);
  return state;
}

function pauseSchedule(command: Extract<ScheduleCommand, { type: 'PauseSchedule' }>, state: ScheduleState): ScheduleEvent[] {
  const schedule = known(state, command.scheduleId);
  if (schedule.status === 'ended') throw new ScheduleAlreadyEnded(command.scheduleId, 'paused');
  if (schedule.status === 'paused') return [];
  const stopped = schedule.nextRun ? { stoppedRunId: schedule.nextRun.jobId } : {};
  return [{ type: 'SchedulePaused', data: { scheduleId: command.scheduleId, pausedAt: command.now, ...stopped } }];
}

function resumeSchedule(command: Extract<ScheduleCommand, { type: 'ResumeSchedule' }>, state: ScheduleState): ScheduleEvent[] {
  const schedule = known(state, command.scheduleId);
  if (schedule.status === 'ended') throw new ScheduleAlreadyEnded(command.scheduleId, 'resumed');
  if (schedule.status === 'active') return [];
  const resumed: ScheduleEvent = { type: 'ScheduleResumed', data: { scheduleId: command.scheduleId, resumedAt: command.now } };
  const next = firstRunAfter(schedule.schedule, command.now, schedule.started);
  if (next === null) return [resumed, { type: 'ScheduleEnded', data: { scheduleId: command.scheduleId, runs: schedule.started, endedAt: command.now } }];
  return [resumed, runCreated(command.scheduleId, schedule.runs + 1, next)];
}

function deleteSchedule(command: Extract<ScheduleCommand, { type: 'DeleteSchedule' }>, state: ScheduleState): ScheduleEvent[] {
  const schedule = known(state, command.scheduleId);
  const stopped = schedule.nextRun ? { stoppedRunId: schedule.nextRun.jobId } : {};
  return [{ type: 'ScheduleDeleted', data: { scheduleId: command.scheduleId, deletedAt: command.now, ...stopped } }];
}

export function decide(command: ScheduleCommand, state: ScheduleState): ScheduleEvent[] {
  switch (command.type) {
    case 'CreateSchedule':
      return createSchedule(command, state);
    case 'PassRun':
      return passRun(command, state);
    case 'PauseSchedule':
      return pauseSchedule(command, state);
    case 'ResumeSchedule':
      return resumeSchedule(command, state);
    case 'DeleteSchedule':
      return deleteSchedule(command, state);
    default:
      return assertNever(command);
  }
}

/** A pending run replaced by a new one, or by the end, had its start come. */
const passed = (state: KnownSchedule) =>
  state.nextRun ? { started: state.started + 1, lastRunId: state.nextRun.jobId } : { started: state.started, lastRunId: state.lastRunId };

export function evolve(state: ScheduleState, event: ScheduleEvent): ScheduleState {
  if (event.type === 'ScheduleCreated') {
    return { status: 'active', schedule: event.data, runs: 0, started: 0, nextRun: null, lastRunId: null };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'ScheduleRunCreated':
      return { ...state, ...passed(state), runs: event.data.run, nextRun: { run: event.data.run, jobId: event.data.jobId, startAt: event.data.startAt } };
    case 'SchedulePaused':
      return { ...state, status: 'paused', nextRun: null };
    case 'ScheduleResumed':
      return { ...state, status: 'active' };
    case 'ScheduleEnded':
      return { ...state, ...passed(state), started: event.data.runs, status: 'ended', nextRun: null };
    case 'ScheduleDeleted':
      return { ...state, status: 'deleted', nextRun: null };
    default:
      return state;
  }
}

export const initialScheduleState = (): ScheduleState => ({ status: 'none' });

export const scheduleDecider: Decider<ScheduleCommand, ScheduleEvent, ScheduleState> = { decide, evolve, initialState: initialScheduleState };
