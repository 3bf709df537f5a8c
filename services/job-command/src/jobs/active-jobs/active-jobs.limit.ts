import type { JobEvent } from '../job.decider';

/** How many jobs may be active (pending, running or paused) at once unless `MAX_ACTIVE_JOBS` says otherwise. */
export const DEFAULT_MAX_ACTIVE_JOBS = 200;

/** `MAX_ACTIVE_JOBS`: a whole number ≥ 1; anything else stops the start, naming the variable. */
export function readMaxActiveJobs(environment: Record<string, string | undefined>): number {
  const text = (environment.MAX_ACTIVE_JOBS ?? '').trim();
  if (text === '') return DEFAULT_MAX_ACTIVE_JOBS;
  if (!/^[1-9]\d*$/.test(text)) throw new Error(`MAX_ACTIVE_JOBS must be a whole number of jobs ≥ 1, not "${text}"`);
  return Number(text);
}

const ENDS: ReadonlySet<JobEvent['type']> = new Set(['JobCompleted', 'JobFailed', 'JobStopped']);

/** What decided events do to the set of active jobs: a job begins being active, stops, or neither. */
export function activeJobsChange(events: readonly JobEvent[]): 'begins' | 'ends' | 'none' {
  if (events.some((event) => ENDS.has(event.type))) return 'ends';
  if (events.some((event) => event.type === 'JobCreated')) return 'begins';
  return 'none';
}

/** Whether one more job may begin while `active` jobs are active. */
export function mayBeginAnotherJob(active: number, max: number): boolean {
  return active < max;
}
