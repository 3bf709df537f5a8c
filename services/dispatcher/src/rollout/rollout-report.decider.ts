import type { RolloutBatchProgress, RolloutBatchState } from '@fleetjobs/contracts';

/** Counts move at most this often onto the job's published progress. */
export const REPORT_EVERY_MS = 3_000;

/** A rollout job's progress as published (`JobRolloutProgressed` without its job and sequence). */
export interface ProgressSnapshot {
  currentBatch: number;
  batchCount: number;
  batch: RolloutBatchProgress;
  ratePerMinute: number | null;
  rateReason: string | null;
  pausedUntil: string | null;
}

/** One batch's figures as the round read them. */
export interface BatchFigures {
  index: number;
  size: number;
  completed: number;
  failed: number;
}

export interface SnapshotInput {
  /** The batch the round judged (the job's current batch when the round began). */
  judged: BatchFigures;
  batchCount: number;
  /** The job's current batch after the round, and its size. */
  currentBatch: number;
  currentBatchSize: number;
  /** The job stopped at the judged batch's success gate. */
  gateFailed: boolean;
  /** The job is halted: no round judges it any more, so it keeps the state it was halted in. */
  halted?: boolean;
  /** The batch as the job last published it. */
  published?: RolloutBatchProgress | null;
  successGate: { percent: number } | null;
  ratePerMinute: number | null;
  rateReason: string | null;
  pausedUntil: string | null;
}

/**
 * The progress to report after a round, in order: the judged batch, then, when the round moved
 * the job to its next batch, that batch starting. A batch is `passed` once the job moved past it
 * or all its devices have an outcome and its gate (if any) is met; `gateFailed` when its gate
 * stopped the job or can no longer be met by a batch that is done.
 */
export function progressSnapshots(input: SnapshotInput): ProgressSnapshot[] {
  const { judged } = input;
  const common = {
    currentBatch: input.currentBatch,
    batchCount: input.batchCount,
    ratePerMinute: input.ratePerMinute,
    rateReason: input.rateReason,
    pausedUntil: input.pausedUntil,
  };
  const done = judged.size > 0 && judged.completed + judged.failed >= judged.size;
  const gateMet = !input.successGate || judged.completed * 100 >= input.successGate.percent * judged.size;
  const stoppedAtGate = input.gateFailed || (input.halted === true && input.published?.index === judged.index && input.published.state === 'gateFailed');
  const state: RolloutBatchState =
    stoppedAtGate || (done && !gateMet) ? 'gateFailed' : input.currentBatch > judged.index || done ? 'passed' : 'running';
  const snapshots: ProgressSnapshot[] = [{ ...common, batch: { ...judged, state } }];
  if (input.currentBatch > judged.index && input.currentBatch < input.batchCount) {
    snapshots.push({ ...common, batch: { index: input.currentBatch, size: input.currentBatchSize, completed: 0, failed: 0, state: 'running' } });
  }
  return snapshots;
}

export interface ReportInput {
  next: ProgressSnapshot;
  /** What the job published last; null: nothing yet. */
  published: ProgressSnapshot | null;
  publishedAt: string | null;
  /** Nothing of the job is in flight: the counts will not move until more devices start. */
  settled: boolean;
  now: string;
}

/**
 * Whether a snapshot is published: always when the batch, a batch's state, the rate, its reason
 * or the pause changed; when only counts moved, at most every `REPORT_EVERY_MS`, and at once
 * when the job settled (so that the last figures are never held back).
 */
export function decideReport(input: ReportInput): boolean {
  const { next, published } = input;
  if (published === null || input.publishedAt === null) return true;
  const shape = (snapshot: ProgressSnapshot) => [
    snapshot.currentBatch,
    snapshot.batchCount,
    snapshot.batch.index,
    snapshot.batch.size,
    snapshot.batch.state,
    snapshot.ratePerMinute,
    snapshot.rateReason,
    snapshot.pausedUntil,
  ];
  if (JSON.stringify(shape(next)) !== JSON.stringify(shape(published))) return true;
  if (next.batch.completed === published.batch.completed && next.batch.failed === published.batch.failed) return false;
  return input.settled || Date.parse(input.now) - Date.parse(input.publishedAt) >= REPORT_EVERY_MS;
}
