/** What the current batch's figures allow. */
export type BatchAdvance =
  | { decision: 'start-next'; reason: string }
  /** `pauseUntil`: the batch just ended and the pause begins now; keep it and ask again after. */
  | { decision: 'wait'; reason: string; pauseUntil?: string }
  | { decision: 'gate-failed'; reason: string };

export interface BatchAdvanceInput {
  /** 0-based index of the current batch. */
  batch: number;
  /** Devices of the batch with an outcome (`completed + failed`). */
  executed: number;
  completed: number;
  failed: number;
  size: number;
  successGate: { percent: number } | null;
  pauseBetweenSeconds: number;
  /** The end of the pause once one began (as returned in `pauseUntil`), else null. */
  pausedUntil: string | null;
  now: string;
}

/**
 * Whether the batch after the current one may start. A batch must have an outcome on every
 * device and, with a gate, at least the gate's share completed (rounded up to whole devices);
 * then the pause, if any, runs. A batch that can no longer reach its gate fails the job at once.
 * Asked only while there is a next batch.
 */
export function decideBatchAdvance(input: BatchAdvanceInput): BatchAdvance {
  const { batch, executed, completed, failed, size, successGate, pauseBetweenSeconds, pausedUntil, now } = input;
  const label = `batch ${batch + 1}`;
  if (successGate) {
    const needed = Math.ceil(Number(((size * successGate.percent) / 100).toFixed(9)));
    const reachable = completed + Math.max(0, size - executed);
    if (reachable < needed) {
      const best = Math.floor((reachable / size) * 1000) / 10;
      return {
        decision: 'gate-failed',
        reason: `${label} can no longer reach its ${successGate.percent} % success gate: ${failed} of ${size} devices failed, at most ${best} % can complete`,
      };
    }
  }
  if (executed < size) return { decision: 'wait', reason: `${label}: ${executed} of ${size} devices have an outcome` };
  if (pauseBetweenSeconds > 0) {
    if (pausedUntil === null) {
      const until = new Date(Date.parse(now) + pauseBetweenSeconds * 1000).toISOString();
      return { decision: 'wait', reason: `${label} ended; pausing ${pauseBetweenSeconds} s`, pauseUntil: until };
    }
    if (Date.parse(now) < Date.parse(pausedUntil)) return { decision: 'wait', reason: `${label} ended; paused until ${pausedUntil}` };
  }
  return { decision: 'start-next', reason: `${label} ended: ${completed} of ${size} devices completed` };
}
