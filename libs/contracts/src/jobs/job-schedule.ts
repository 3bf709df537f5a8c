import { DataReader } from '../data-reader';

/** When a job may start: not before `startAt` (an ISO instant). */
export interface JobSchedule {
  startAt: string;
}

/** A scheduled job's start time came (and, if it needed approval, it is approved): it may be targeted now. */
export interface JobStartReachedData {
  jobId: string;
  /** The start the job was scheduled for. */
  startAt: string;
  reachedAt: string;
}

export function readJobSchedule(r: DataReader): JobSchedule {
  return { startAt: r.string('startAt') };
}
