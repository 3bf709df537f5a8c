/** What a progress line needs of a job (the JSON of `GET /api/jobs/{id}` and of its stream). */
export interface JobProgress {
  id: string;
  status: string;
  counts: { total: number; pending: number; completed: number; failed: number };
}

export const TERMINAL_STATUSES = ['completed', 'failed', 'stopped'];

/** The share of the job's devices that are done (completed or failed), 0 to 100, rounded down. */
export function percentDone(job: JobProgress): number {
  const { total, completed, failed } = job.counts;
  if (total === 0) return TERMINAL_STATUSES.includes(job.status) ? 100 : 0;
  return Math.floor((Math.min(total, completed + failed) * 100) / total);
}

/** `[##########----------]  50% running   5/10 done · 4 completed · 1 failed · 5 pending` (ASCII only, any terminal). */
export function progressLine(job: JobProgress, width = 24): string {
  const percent = percentDone(job);
  const filled = Math.round((percent * width) / 100);
  const { total, pending, completed, failed } = job.counts;
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  return `${bar} ${String(percent).padStart(3)}% ${job.status.padEnd(9)} ${completed + failed}/${total} done · ${completed} completed · ${failed} failed · ${pending} pending`;
}

/** The last line of `jobs watch`. */
export function finalLine(job: JobProgress): string {
  const { total, completed, failed, pending } = job.counts;
  const rest = pending > 0 ? `, ${pending} not run` : '';
  return `job ${job.id} ${job.status}: ${completed} of ${total} devices completed, ${failed} failed${rest}`;
}
