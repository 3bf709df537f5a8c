import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope, JobOperation, TOPICS } from '@fleetjobs/contracts';
import { queryRows, SqlExecutor, UNIT_OF_WORK, UnitOfWork } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';
import { ClaimedWork, DeviceOutcome, DeviceRelease, outcomeEnvelope } from './dispatch-events';

export const ORPHAN_ERROR =
  'outcome unknown: the dispatcher running this command stopped after sending it and before recording its result; it was not retried, so that it never runs twice';

/** Delay before a device handed back after a failure is tried again, growing with its attempts. */
const RETRY_BACKOFF_MS = 1000;

/**
 * The work table every dispatcher process shares. Claims, halts and outcomes are single SQL
 * statements whose locks order them: a halt waits for claims in progress, and no claim
 * commits for a halted job.
 */
@Injectable()
export class DispatchWorkRepository {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
  ) {}

  async registerJob(tx: SqlExecutor, jobId: string, operations: JobOperation[]): Promise<void> {
    await tx.query(
      `INSERT INTO ${S}.jobs (job_id, operations) VALUES ($1, $2::jsonb)
       ON CONFLICT (job_id) DO UPDATE SET operations = EXCLUDED.operations WHERE ${S}.jobs.operations IS NULL`,
      [jobId, JSON.stringify(operations)],
    );
  }

  async addTargets(tx: SqlExecutor, jobId: string, deviceIds: string[]): Promise<void> {
    if (deviceIds.length === 0) return;
    await tx.query(`INSERT INTO ${S}.jobs (job_id) VALUES ($1) ON CONFLICT DO NOTHING`, [jobId]);
    await tx.query(
      `INSERT INTO ${S}.operations (job_id, device_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
      [jobId, deviceIds],
    );
  }

  async completeTargets(tx: SqlExecutor, jobId: string, total: number): Promise<void> {
    await tx.query(
      `INSERT INTO ${S}.jobs (job_id, targets_complete, targets_total) VALUES ($1, true, $2)
       ON CONFLICT (job_id) DO UPDATE SET targets_complete = true, targets_total = $2`,
      [jobId, total],
    );
  }

  /** After this commits, no claim of the job's operations can commit on any process. */
  async halt(executor: SqlExecutor, jobId: string): Promise<void> {
    await executor.query(
      `INSERT INTO ${S}.jobs (job_id, state) VALUES ($1, 'halted')
       ON CONFLICT (job_id) DO UPDATE SET state = 'halted' WHERE ${S}.jobs.state = 'active'`,
      [jobId],
    );
  }

  /**
   * Records, before the first request that may change the device leaves, that it may have been
   * sent: a claim without this mark provably sent nothing. Answers the claims still held by this
   * worker (a claim concluded meanwhile as orphaned must not send).
   */
  async markSent(workerId: string, units: { jobId: string; deviceId: string }[]): Promise<Set<string>> {
    if (units.length === 0) return new Set();
    const rows = await queryRows<{ job_id: string; device_id: string }>(
      this.dataSource,
      `UPDATE ${S}.operations o SET sent_at = coalesce(o.sent_at, now())
       FROM (SELECT unnest($1::text[]) AS job_id, unnest($2::text[]) AS device_id) v
       WHERE o.job_id = v.job_id AND o.device_id = v.device_id AND o.worker_id = $3 AND o.status = 'in_flight'
       RETURNING o.job_id, o.device_id`,
      [units.map((unit) => unit.jobId), units.map((unit) => unit.deviceId), workerId],
    );
    return new Set(rows.map((row) => workKey(row.job_id, row.device_id)));
  }

  /** Hands claimed devices back to pending (see `DeviceRelease`); halted jobs are halted here too. */
  async release(workerId: string, releases: DeviceRelease[]): Promise<void> {
    if (releases.length === 0) return;
    await this.dataSource.transaction(async (tx) => {
      await tx.query(
        `UPDATE ${S}.operations o SET status = 'pending', worker_id = NULL, claimed_at = NULL,
           redrive = o.redrive OR v.redrive,
           sent_at = CASE WHEN o.redrive OR v.redrive THEN o.sent_at ELSE NULL END,
           attempts = o.attempts + CASE WHEN v.counted THEN 1 ELSE 0 END,
           error = v.error,
           retry_at = CASE WHEN v.error IS NULL THEN NULL
                           ELSE now() + make_interval(secs => $4::double precision / 1000 * power(2, o.attempts)) END
         FROM (SELECT unnest($1::text[]) AS job_id, unnest($2::text[]) AS device_id,
                      unnest($5::boolean[]) AS redrive, unnest($6::text[]) AS error, unnest($7::boolean[]) AS counted) v
         WHERE o.job_id = v.job_id AND o.device_id = v.device_id AND o.status = 'in_flight' AND o.worker_id = $3`,
        [
          releases.map((release) => release.jobId),
          releases.map((release) => release.deviceId),
          workerId,
          RETRY_BACKOFF_MS,
          releases.map((release) => release.redrive),
          releases.map((release) => release.error),
          releases.map((release) => release.counted),
        ],
      );
      for (const jobId of new Set(releases.filter((release) => release.halted).map((release) => release.jobId))) {
        await this.halt(tx, jobId);
      }
    });
  }

  /** Claims up to `limit` pending devices, shared fairly across active jobs. */
  async claim(workerId: string, limit: number): Promise<ClaimedWork[]> {
    return this.dataSource.transaction(async (tx) => {
      const active = await queryRows<{ job_id: string; operations: JobOperation[] }>(
        tx,
        `SELECT job_id, operations FROM ${S}.jobs
         WHERE state = 'active' AND operations IS NOT NULL AND finished_at IS NULL
           AND EXISTS (SELECT 1 FROM ${S}.operations o WHERE o.job_id = ${S}.jobs.job_id AND o.status = 'pending'
                         AND (o.retry_at IS NULL OR o.retry_at <= now()))
         ORDER BY random() LIMIT 64
         FOR SHARE`,
      );
      if (active.length === 0) return [];
      const perJob = Math.max(1, Math.ceil(limit / active.length));
      const claimed = await queryRows<{ job_id: string; device_id: string; redrive: boolean; attempts: number }>(
        tx,
        `WITH picked AS (
           SELECT o.job_id, o.device_id
           FROM unnest($1::text[]) AS a(job_id)
           CROSS JOIN LATERAL (
             SELECT job_id, device_id FROM ${S}.operations
             WHERE job_id = a.job_id AND status = 'pending' AND (retry_at IS NULL OR retry_at <= now())
             ORDER BY device_id LIMIT $2
             FOR UPDATE SKIP LOCKED
           ) o
           LIMIT $3
         )
         UPDATE ${S}.operations o SET status = 'in_flight', worker_id = $4, claimed_at = now(), retry_at = NULL
         FROM picked p WHERE o.job_id = p.job_id AND o.device_id = p.device_id
         RETURNING o.job_id, o.device_id, o.redrive, o.attempts`,
        [active.map((job) => job.job_id), perJob, limit, workerId],
      );
      const operationsByJob = new Map(active.map((job) => [job.job_id, job.operations]));
      return claimed.map((row) => ({
        jobId: row.job_id,
        deviceId: row.device_id,
        operations: operationsByJob.get(row.job_id) ?? [],
        redrive: row.redrive,
        attempts: row.attempts,
      }));
    });
  }

  /** Records outcomes still held by this worker and publishes them; returns the jobs touched. */
  async recordOutcomes(workerId: string, outcomes: DeviceOutcome[]): Promise<string[]> {
    if (outcomes.length === 0) return [];
    return this.uow.run(async (tx) => {
      const recorded = await queryRows<{ job_id: string; device_id: string; status: string; error: string | null }>(
        tx.manager,
        `UPDATE ${S}.operations o SET status = v.status, error = v.error, done_at = now()
         FROM (SELECT unnest($1::text[]) AS job_id, unnest($2::text[]) AS device_id,
                      unnest($3::text[]) AS status, unnest($4::text[]) AS error) v
         WHERE o.job_id = v.job_id AND o.device_id = v.device_id AND o.status = 'in_flight' AND o.worker_id = $5
         RETURNING o.job_id, o.device_id, o.status, o.error`,
        [
          outcomes.map((outcome) => outcome.jobId),
          outcomes.map((outcome) => outcome.deviceId),
          outcomes.map((outcome) => (outcome.ok ? 'completed' : 'failed')),
          outcomes.map((outcome) => outcome.error),
          workerId,
        ],
      );
      await tx.publish(TOPICS.jobs, outcomeEnvelopes(recorded));
      return [...new Set(recorded.map((row) => row.job_id))];
    });
  }
}

/** The published facts of recorded outcomes; ids derive from job and device, so a repeat is the same fact. */
export function outcomeEnvelopes(rows: { job_id: string; device_id: string; status: string; error: string | null }[]): EventEnvelope[] {
  const now = new Date().toISOString();
  return rows.map((row) => outcomeEnvelope({ jobId: row.job_id, deviceId: row.device_id, ok: row.status === 'completed', error: row.error }, now));
}

/** The key of one device of one job, for sets of claims. */
export function workKey(jobId: string, deviceId: string): string {
  return `${jobId}\u0000${deviceId}`;
}
