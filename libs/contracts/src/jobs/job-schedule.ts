import { DataReader, InvalidEventDataError } from '../data-reader';
import { MaintenanceWindow, WEEKDAYS, Weekday } from './maintenance-window';

/** When a job may start devices: not before `startAt`, and only inside one of its `windows`. */
export interface JobSchedule {
  /** An ISO instant; absent: the job starts at once. */
  startAt?: string;
  /** Absent: devices may start at any time. */
  windows?: MaintenanceWindow[];
}

/** A scheduled job's start time came (and, if it needed approval, it is approved): it may be targeted now. */
export interface JobStartReachedData {
  jobId: string;
  /** The start the job was scheduled for. */
  startAt: string;
  reachedAt: string;
}

export function readJobSchedule(r: DataReader): JobSchedule {
  return {
    ...(r.has('startAt') ? { startAt: r.string('startAt') } : {}),
    ...(r.has('windows') ? { windows: r.array('windows', readWindow) } : {}),
  };
}

function readWindow(r: DataReader): MaintenanceWindow {
  const days = r.has('days') ? r.stringArrayOrNull('days') : null;
  return {
    ...(days ? { days: days.map(readWeekday) } : {}),
    start: r.string('start'),
    end: r.string('end'),
    timeZone: r.string('timeZone'),
  };
}

function readWeekday(day: string): Weekday {
  if (!WEEKDAYS.includes(day as Weekday)) throw new InvalidEventDataError('JobCreated.schedule.windows', 'days', WEEKDAYS.join(' | '));
  return day as Weekday;
}
