import { FleetEvent, RolloutBatchState } from '@fleetjobs/contracts';
import { toIsoInstant } from '../jobs/projection-time';

/** Where a job's rollout stands, as the read model keeps it. */
export interface RolloutProgressRow {
  jobId: string;
  currentBatch: number;
  batchCount: number;
  ratePerMinute: number | null;
  rateReason: string | null;
  pausedUntil: string | null;
  /** The progress this row was written from; an older one never overwrites it. */
  sequence: number;
}

/** One batch of a job's rollout, in a row of its own. */
export interface RolloutBatchRow {
  jobId: string;
  index: number;
  size: number;
  completed: number;
  failed: number;
  state: RolloutBatchState;
  sequence: number;
}

/**
 * Folds a `JobRolloutProgressed` into the job's progress row. Progress carries a sequence that
 * grows per job: a repeated or late progress (a sequence already seen) changes nothing, so any
 * order and any repetition end in the newest progress. Other events leave the row as it is.
 */
export function evolveRolloutProgress(row: RolloutProgressRow | null, event: FleetEvent): RolloutProgressRow | null {
  if (event.type !== 'JobRolloutProgressed') return row;
  const d = event.data;
  if (row && row.sequence >= d.sequence) return row;
  return {
    jobId: d.jobId,
    currentBatch: d.currentBatch,
    batchCount: d.batchCount,
    ratePerMinute: d.ratePerMinute,
    rateReason: d.rateReason,
    pausedUntil: d.pausedUntil === null ? null : toIsoInstant(d.pausedUntil),
    sequence: d.sequence,
  };
}

/** Folds a `JobRolloutProgressed` into the row of the batch it reports, by the same rule. */
export function evolveRolloutBatch(row: RolloutBatchRow | null, event: FleetEvent): RolloutBatchRow | null {
  if (event.type !== 'JobRolloutProgressed') return row;
  const { jobId, batch, sequence } = event.data;
  if (row && (row.index !== batch.index || row.sequence >= sequence)) return row;
  return { jobId, index: batch.index, size: batch.size, completed: batch.completed, failed: batch.failed, state: batch.state, sequence };
}
