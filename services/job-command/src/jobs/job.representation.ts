import type { JobSchedule } from '@fleetjobs/contracts';
import { awaitsRelease, awaitsStart, JobState, visibleStatus } from './job.decider';

/** The job as job-command knows it: definition, status and creation time (counts live in the read model). */
export interface JobRepresentation {
  id: string;
  displayName: string;
  description: string;
  deviceSet: string;
  devices: string[] | null;
  operations: { type: string; name: string; value: unknown }[];
  status: string;
  /** The jobs a queued job (`onConflict: queue`) still waits for: it stays `pending` until each has ended; empty otherwise. */
  waitingFor: string[];
  createdAt: string;
  /** Who asked for the job; null when no actor was known. */
  createdBy: { id: string; name: string } | null;
  /** Null when the job runs without approval; a job awaiting approval stays `pending` with `approvedAt` null. */
  approval: { required: true; reason: string; approvedBy: { id: string; name: string } | null; approvedAt: string | null } | null;
  /** The job this one reruns; null for a job created from a body. */
  rerunOf: string | null;
  /** When the job may start, as created; absent for a job that starts at once. */
  schedule?: JobSchedule;
  /** The start a scheduled job still waits for (it stays `pending` until then); null otherwise. */
  nextStartAt: string | null;
  /** The recurring schedule this job is a run of; absent for any other job. */
  scheduleId?: string;
  /** Which run of its schedule it is, from 1; absent for a job of no schedule. */
  scheduleRun?: number;
}

export function representJob(state: Exclude<JobState, { status: 'none' }>): JobRepresentation {
  return {
    id: state.jobId,
    ...state.definition,
    status: visibleStatus(state),
    waitingFor: awaitsRelease(state) ? state.waitingFor : [],
    createdAt: state.createdAt,
    createdBy: state.createdBy,
    approval: state.approval,
    rerunOf: state.rerunOf,
    nextStartAt: awaitsStart(state) ? state.startAt : null,
    ...(state.scheduleRun ? { scheduleId: state.scheduleRun.scheduleId, scheduleRun: state.scheduleRun.run } : {}),
  };
}
