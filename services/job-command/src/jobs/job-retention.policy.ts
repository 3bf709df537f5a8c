import type { JobState } from './job.decider';

const DAY_MS = 86_400_000;

/**
 * Whether a job's history has run out: it settled more than `retentionDays` ago. The read model
 * has dropped it by then (it answers 404) and the dispatchers the values a revert would put
 * back, so a job past it is treated as one that does not exist.
 */
export function pastRetention(state: JobState, now: Date, retentionDays: number): boolean {
  if (state.status === 'none' || state.settledAt === null) return false;
  return Date.parse(state.settledAt) + retentionDays * DAY_MS < now.getTime();
}
