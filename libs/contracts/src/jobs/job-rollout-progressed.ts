import { DataReader } from '../data-reader';
import { EventEnvelope } from '../envelope';

/** Where a batch of a rollout stands: devices still running, the batch done, or stopped at its success gate. */
export type RolloutBatchState = 'running' | 'passed' | 'gateFailed';
export const ROLLOUT_BATCH_STATES: readonly RolloutBatchState[] = ['running', 'passed', 'gateFailed'];

/** One batch of a rollout with its outcomes so far. */
export interface RolloutBatchProgress {
  /** 0-based, in the order the batches run. */
  index: number;
  /** Devices in the batch. */
  size: number;
  completed: number;
  failed: number;
  state: RolloutBatchState;
}

/**
 * A rollout job moved on (dispatcher): its current batch, one batch's figures (the current one,
 * or the one that just ended), and the rate it runs at with the reason for it. Published when
 * the batch, a batch's state, the rate or its reason changes, and at most every few seconds
 * while the counts move.
 */
export interface JobRolloutProgressedData {
  jobId: string;
  /** 0-based index of the batch devices are taken from now. */
  currentBatch: number;
  /** How many batches the job has (1 for a job without batches; 0 while its devices are not all known). */
  batchCount: number;
  batch: RolloutBatchProgress;
  /** Device operations per minute the job runs at now; null for a job without a rate. */
  ratePerMinute: number | null;
  /** Why the rate is what it is, e.g. "throttled by the hub (429): 600 → 300/min"; null without a rate. */
  rateReason: string | null;
  /** Until when the job waits between batches; null when it does not wait. */
  pausedUntil: string | null;
  /** Increases with every progress of the job: a reader keeps the highest it saw, so a late repeat changes nothing. */
  sequence: number;
}

export type JobRolloutProgressed = EventEnvelope<'JobRolloutProgressed', JobRolloutProgressedData>;

const nullableNumber = (r: DataReader, field: string): number | null => (r.has(field) && r.any(field) !== null ? r.number(field) : null);
const nullableString = (r: DataReader, field: string): string | null => (r.has(field) && r.any(field) !== null ? r.string(field) : null);

/** A state a later release adds is kept as sent: readers show it rather than refuse the event. */
function readBatch(r: DataReader): RolloutBatchProgress {
  return {
    index: r.number('index'),
    size: r.number('size'),
    completed: r.number('completed'),
    failed: r.number('failed'),
    state: r.string('state') as RolloutBatchState,
  };
}

export function readJobRolloutProgressed(r: DataReader): JobRolloutProgressedData {
  return {
    jobId: r.string('jobId'),
    currentBatch: r.number('currentBatch'),
    batchCount: r.number('batchCount'),
    batch: readBatch(r.nested('batch')),
    ratePerMinute: nullableNumber(r, 'ratePerMinute'),
    rateReason: nullableString(r, 'rateReason'),
    pausedUntil: nullableString(r, 'pausedUntil'),
    sequence: r.number('sequence'),
  };
}
