import { FleetEvent, JobRolloutProgressed, RolloutBatchState } from '@fleetjobs/contracts';
import { queryRows, SqlExecutor } from '@fleetjobs/persistence-pg';
import { PROJECTION_SCHEMA as S } from '../projection.tokens';
import { evolveRolloutBatch, evolveRolloutProgress, RolloutBatchRow, RolloutProgressRow } from './job-rollout.projection';

interface ProgressRecord {
  job_id: string;
  current_batch: number;
  batch_count: number;
  rate_per_minute: number | null;
  rate_reason: string | null;
  paused_until: Date | null;
  sequence: number;
}

interface BatchRecord {
  job_id: string;
  batch_index: number;
  size: number;
  completed: number;
  failed: number;
  state: RolloutBatchState;
  sequence: number;
}

const toProgressRow = (r: ProgressRecord): RolloutProgressRow => ({
  jobId: r.job_id,
  currentBatch: r.current_batch,
  batchCount: r.batch_count,
  ratePerMinute: r.rate_per_minute === null ? null : Number(r.rate_per_minute),
  rateReason: r.rate_reason,
  pausedUntil: r.paused_until?.toISOString() ?? null,
  sequence: r.sequence,
});

const toBatchRow = (r: BatchRecord): RolloutBatchRow => ({
  jobId: r.job_id,
  index: r.batch_index,
  size: r.size,
  completed: r.completed,
  failed: r.failed,
  state: r.state,
  sequence: r.sequence,
});

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const batchKey = (jobId: string, index: number) => `${jobId}\u0000${index}`;

/**
 * Applies the rollout progress among a batch of job-topic events, in the transaction that holds
 * their job rows: loads the rows they touch, folds them, writes back only what changed (so a
 * redelivered batch writes nothing). Answers the jobs whose rollout rows changed.
 */
export async function applyRolloutProgress(tx: SqlExecutor, events: FleetEvent[]): Promise<Set<string>> {
  const progressed = events.filter((event): event is JobRolloutProgressed => event.type === 'JobRolloutProgressed');
  if (progressed.length === 0) return new Set();
  const jobIds = [...new Set(progressed.map((event) => event.data.jobId))];
  const progressBefore = new Map(
    (await queryRows<ProgressRecord>(tx, `SELECT * FROM ${S}.job_rollout_progress WHERE job_id = ANY($1::text[])`, [jobIds])).map((r) => [
      r.job_id,
      toProgressRow(r),
    ]),
  );
  const keys = [...new Map(progressed.map((event) => [batchKey(event.data.jobId, event.data.batch.index), event.data])).values()];
  const batchesBefore = new Map(
    (
      await queryRows<BatchRecord>(
        tx,
        `SELECT b.* FROM ${S}.job_rollout_batches b
         JOIN unnest($1::text[], $2::int[]) AS k(job_id, batch_index) ON b.job_id = k.job_id AND b.batch_index = k.batch_index`,
        [keys.map((key) => key.jobId), keys.map((key) => key.batch.index)],
      )
    ).map((r) => [batchKey(r.job_id, r.batch_index), toBatchRow(r)]),
  );
  const progress = new Map(progressBefore);
  const batches = new Map(batchesBefore);
  for (const event of progressed) {
    const { jobId, batch } = event.data;
    const nextProgress = evolveRolloutProgress(progress.get(jobId) ?? null, event);
    if (nextProgress) progress.set(jobId, nextProgress);
    const key = batchKey(jobId, batch.index);
    const nextBatch = evolveRolloutBatch(batches.get(key) ?? null, event);
    if (nextBatch) batches.set(key, nextBatch);
  }
  const changedProgress = [...progress.values()].filter((row) => !same(progressBefore.get(row.jobId), row));
  const changedBatches = [...batches.entries()].filter(([key, row]) => !same(batchesBefore.get(key), row)).map(([, row]) => row);
  await writeProgress(tx, changedProgress);
  await writeBatches(tx, changedBatches);
  return new Set([...changedProgress.map((row) => row.jobId), ...changedBatches.map((row) => row.jobId)]);
}

async function writeProgress(tx: SqlExecutor, rows: RolloutProgressRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO ${S}.job_rollout_progress AS p (job_id, current_batch, batch_count, rate_per_minute, rate_reason, paused_until, sequence)
     SELECT * FROM unnest($1::text[], $2::int[], $3::int[], $4::double precision[], $5::text[], $6::timestamptz[], $7::int[])
     ON CONFLICT (job_id) DO UPDATE SET current_batch = EXCLUDED.current_batch, batch_count = EXCLUDED.batch_count,
       rate_per_minute = EXCLUDED.rate_per_minute, rate_reason = EXCLUDED.rate_reason, paused_until = EXCLUDED.paused_until,
       sequence = EXCLUDED.sequence`,
    [
      rows.map((r) => r.jobId),
      rows.map((r) => r.currentBatch),
      rows.map((r) => r.batchCount),
      rows.map((r) => r.ratePerMinute),
      rows.map((r) => r.rateReason),
      rows.map((r) => r.pausedUntil),
      rows.map((r) => r.sequence),
    ],
  );
}

async function writeBatches(tx: SqlExecutor, rows: RolloutBatchRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO ${S}.job_rollout_batches AS b (job_id, batch_index, size, completed, failed, state, sequence)
     SELECT * FROM unnest($1::text[], $2::int[], $3::int[], $4::int[], $5::int[], $6::text[], $7::int[])
     ON CONFLICT (job_id, batch_index) DO UPDATE SET size = EXCLUDED.size, completed = EXCLUDED.completed,
       failed = EXCLUDED.failed, state = EXCLUDED.state, sequence = EXCLUDED.sequence`,
    [
      rows.map((r) => r.jobId),
      rows.map((r) => r.index),
      rows.map((r) => r.size),
      rows.map((r) => r.completed),
      rows.map((r) => r.failed),
      rows.map((r) => r.state),
      rows.map((r) => r.sequence),
    ],
  );
}

/** What a job view shows of its rollout's progress; null for a job that reported none. */
export interface RolloutProgressView {
  currentBatch: number;
  batchCount: number;
  batches: { index: number; size: number; completed: number; failed: number; state: RolloutBatchState }[];
  ratePerMinute: number | null;
  rateReason: string | null;
  pausedUntil: string | null;
}

/** The rollout progress of the given jobs, batches in order; jobs without progress are absent. */
export async function readRolloutProgress(executor: SqlExecutor, jobIds: string[]): Promise<Map<string, RolloutProgressView>> {
  const views = new Map<string, RolloutProgressView>();
  if (jobIds.length === 0) return views;
  const progress = await queryRows<ProgressRecord>(executor, `SELECT * FROM ${S}.job_rollout_progress WHERE job_id = ANY($1::text[])`, [jobIds]);
  for (const record of progress) {
    const row = toProgressRow(record);
    views.set(row.jobId, {
      currentBatch: row.currentBatch,
      batchCount: row.batchCount,
      batches: [],
      ratePerMinute: row.ratePerMinute,
      rateReason: row.rateReason,
      pausedUntil: row.pausedUntil,
    });
  }
  const batches = await queryRows<BatchRecord>(
    executor,
    `SELECT * FROM ${S}.job_rollout_batches WHERE job_id = ANY($1::text[]) ORDER BY job_id, batch_index`,
    [[...views.keys()]],
  );
  for (const record of batches) {
    views.get(record.job_id)?.batches.push({
      index: record.batch_index,
      size: record.size,
      completed: record.completed,
      failed: record.failed,
      state: record.state,
    });
  }
  return views;
}
