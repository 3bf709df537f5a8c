/**
 * Where a job's dispatch stands, as the work table shows it. `inFlight` and `pending` are only
 * read as zero or not: probing for one row is enough, however large the job.
 */
export interface DispatchProgress {
  /** The job's definition (JobCreated) has arrived. */
  defined: boolean;
  /** Every chunk of targets has arrived (JobTargetingCompleted). */
  targetsComplete: boolean;
  /** No operation of the job may start any more (stopped). */
  halted: boolean;
  /** No operation of the job may start until it is resumed. */
  paused: boolean;
  inFlight: number;
  pending: number;
}

export type DispatchFinish = { finished: false } | { finished: true; halted: boolean };

/**
 * A job's dispatch is finished once its targets are all known, nothing is in flight, and
 * nothing can still start: either nothing is pending, or the job was halted (what is still
 * pending then never starts). A paused job is not finished: it finishes once resumed.
 */
export function decideDispatchFinish(progress: DispatchProgress): DispatchFinish {
  if (!progress.defined || !progress.targetsComplete || progress.inFlight > 0) return { finished: false };
  if (progress.halted) return { finished: true, halted: true };
  if (progress.paused) return { finished: false };
  if (progress.pending > 0) return { finished: false };
  return { finished: true, halted: false };
}
