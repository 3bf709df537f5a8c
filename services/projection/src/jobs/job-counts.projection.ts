import { JobDeviceRow } from './job-device.projection';

/** A job's device counts, or a change to them. */
export interface JobCounts {
  total: number;
  pending: number;
  completed: number;
  failed: number;
}

export const noCounts = (): JobCounts => ({ total: 0, pending: 0, completed: 0, failed: 0 });

/**
 * `counts` plus what writing `after` over `before` (null: a new row) changes in its job's counts.
 * Folding every written row this way keeps the counts equal to a count of the rows, without
 * reading the job's other rows.
 */
export function countChange(counts: JobCounts, before: JobDeviceRow | null, after: JobDeviceRow): JobCounts {
  const next = { ...counts };
  if (before === null) next.total += 1;
  else next[before.status] -= 1;
  next[after.status] += 1;
  return next;
}

export const isNoChange = (counts: JobCounts): boolean =>
  counts.total === 0 && counts.pending === 0 && counts.completed === 0 && counts.failed === 0;
