import { Inject, Injectable } from '@nestjs/common';
import { JobOperation, TOPICS } from '@fleetjobs/contracts';
import { OutboxWriter, queryRows, SqlExecutor } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';
import { ClaimedWork, DeviceOutcome, dispatchFinishedEnvelope, outcomeEnvelope } from './dispatch-events';

export const ORPHAN_ERROR =
  'outcome unknown: the dispatcher running this operation stopped before recording its result; it was not retried, so that it never runs twice';

/**
 * The work table every dispatcher process shares. Claims, halts and outcomes are single SQL
 * statements whose locks order them: a halt waits for claims in progress, and no claim
 * commits for a halted job.
 */
@Injectable()
export class DispatchWorkRepository {
  private readonly outbox = new OutboxWriter(S);

  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

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
   * Halts the job, then waits until every device claimed before the halt has had its first hub
   * request sent, so that nothing of the job can reach the hub after the caller is answered.
   * A claim whose worker died never sends; the sweeper concludes it, which also ends the wait.
   */
  async haltNow(jobId: string, maxWaitMs: number): Promise<void> {
    await this.halt(this.dataSource, jobId);
    const deadline = Date.now() + maxWaitMs;
    while (Date.now() < deadline) {
      const unsent = await queryRows(
        this.dataSource,
        `SELECT 1 FROM ${S}.operations WHERE job_id = $1 AND status = 'in_flight' AND sent_at IS NULL LIMIT 1`,
        [jobId],
      );
      if (unsent.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Records that these claimed devices' first hub requests went out. */
  async markSent(workerId: string, units: { jobId: string; deviceId: string }[]): Promise<void> {
    if (units.length === 0) return;
    await this.dataSource.query(
      `UPDATE ${S}.operations o SET sent_at = now()
       FROM (SELECT unnest($1::text[]) AS job_id, unnest($2::text[]) AS device_id) v
       WHERE o.job_id = v.job_id AND o.device_id = v.device_id AND o.worker_id = $3 AND o.sent_at IS NULL`,
      [units.map((unit) => unit.jobId), units.map((unit) => unit.deviceId), workerId],
    );
  }

  async isHalted(jobId: string): Promise<boolean> {
    const rows = await queryRows<{ state: string }>(this.dataSource, `SELECT state FROM ${S}.jobs WHERE job_id = $1`, [jobId]);
    return rows[0]?.state === 'halted';
  }

  /** Claims up to `limit` pending devices, shared fairly across active jobs. */
  async claim(workerId: string, limit: number): Promise<ClaimedWork[]> {
    return this.dataSource.transaction(async (tx) => {
      const active = await queryRows<{ job_id: string; operations: JobOperation[] }>(
        tx,
        `SELECT job_id, operations FROM ${S}.jobs
         WHERE state = 'active' AND operations IS NOT NULL AND finished_at IS NULL
           AND EXISTS (SELECT 1 FROM ${S}.operations o WHERE o.job_id = ${S}.jobs.job_id AND o.status = 'pending')
         ORDER BY random() LIMIT 64
         FOR SHARE`,
      );
      if (active.length === 0) return [];
      const perJob = Math.max(1, Math.ceil(limit / active.length));
      const claimed = await queryRows<{ job_id: string; device_id: string }>(
        tx,
        `WITH picked AS (
           SELECT o.job_id, o.device_id
           FROM unnest($1::text[]) AS a(job_id)
           CROSS JOIN LATERAL (
             SELECT job_id, device_id FROM ${S}.operations
             WHERE job_id = a.job_id AND status = 'pending'
             ORDER BY device_id LIMIT $2
             FOR UPDATE SKIP LOCKED
           ) o
           LIMIT $3
         )
         UPDATE ${S}.operations o SET status = 'in_flight', worker_id = $4, claimed_at = now()
         FROM picked p WHERE o.job_id = p.job_id AND o.device_id = p.device_id
         RETURNING o.job_id, o.device_id`,
        [active.map((job) => job.job_id), perJob, limit, workerId],
      );
      const operationsByJob = new Map(active.map((job) => [job.job_id, job.operations]));
      return claimed.map((row) => ({
        jobId: row.job_id,
        deviceId: row.device_id,
        operations: operationsByJob.get(row.job_id) ?? [],
      }));
    });
  }

  /** Records outcomes still held by this worker and publishes them; returns the jobs touched. */
  async recordOutcomes(workerId: string, outcomes: DeviceOutcome[]): Promise<string[]> {
    if (outcomes.length === 0) return [];
    return this.dataSource.transaction(async (tx) => {
      const recorded = await queryRows<{ job_id: string; device_id: string; status: string; error: string | null }>(
        tx,
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
      await this.publishOutcomes(tx, recorded);
      return [...new Set(recorded.map((row) => row.job_id))];
    });
  }

  async heartbeat(workerId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO ${S}.workers (worker_id, heartbeat_at) VALUES ($1, now())
       ON CONFLICT (worker_id) DO UPDATE SET heartbeat_at = now()`,
      [workerId],
    );
  }

  async forgetWorker(workerId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM ${S}.workers WHERE worker_id = $1`, [workerId]);
  }

  /**
   * Concludes operations left in flight by workers that are gone: failed as unknown, never
   * retried, because the device may already have carried them out.
   */
  async concludeOrphans(currentWorkerId: string, orphanAfterMs: number): Promise<string[]> {
    return this.dataSource.transaction(async (tx) => {
      const orphans = await queryRows<{ job_id: string; device_id: string; status: string; error: string }>(
        tx,
        `UPDATE ${S}.operations o SET status = 'failed', error = $3, done_at = now()
         WHERE o.status = 'in_flight' AND o.worker_id <> $1
           AND NOT EXISTS (
             SELECT 1 FROM ${S}.workers w
             WHERE w.worker_id = o.worker_id AND w.heartbeat_at > now() - make_interval(secs => $2::double precision / 1000)
           )
         RETURNING o.job_id, o.device_id, o.status, o.error`,
        [currentWorkerId, orphanAfterMs, ORPHAN_ERROR],
      );
      await this.publishOutcomes(tx, orphans);
      await tx.query(
        `DELETE FROM ${S}.workers WHERE heartbeat_at < now() - make_interval(secs => $1::double precision / 1000 * 4)`,
        [orphanAfterMs],
      );
      return [...new Set(orphans.map((row) => row.job_id))];
    });
  }

  /**
   * A job is finished once its targets are all known, none is in flight, and none can still
   * start (nothing pending, or the job was halted). Publishes JobDispatchFinished once.
   */
  async finishJobs(jobIds: string[] | null): Promise<number> {
    return this.dataSource.transaction(async (tx) => {
      const finished = await queryRows<{ job_id: string; completed: string; failed: string; pending: string }>(
        tx,
        // Runs after every batch of outcomes: the EXISTS probes stop at the first unfinished row,
        // so a large job in progress costs two index lookups; rows are counted only once it is done.
        `WITH finishable AS (
           SELECT j.job_id FROM ${S}.jobs j
           WHERE j.finished_at IS NULL AND j.targets_complete AND j.operations IS NOT NULL
             AND ($1::text[] IS NULL OR j.job_id = ANY($1::text[]))
             AND NOT EXISTS (SELECT 1 FROM ${S}.operations o WHERE o.job_id = j.job_id AND o.status = 'in_flight')
             AND (j.state = 'halted' OR NOT EXISTS (SELECT 1 FROM ${S}.operations o WHERE o.job_id = j.job_id AND o.status = 'pending'))
           FOR UPDATE SKIP LOCKED
         ), counts AS (
           SELECT f.job_id,
             count(*) FILTER (WHERE o.status = 'completed') AS completed,
             count(*) FILTER (WHERE o.status = 'failed') AS failed,
             count(*) FILTER (WHERE o.status = 'pending') AS pending
           FROM finishable f LEFT JOIN ${S}.operations o ON o.job_id = f.job_id
           GROUP BY f.job_id
         )
         UPDATE ${S}.jobs j SET finished_at = now(), state = CASE WHEN j.state = 'halted' THEN 'halted' ELSE 'finished' END
         FROM counts
         WHERE j.job_id = counts.job_id
         RETURNING j.job_id, counts.completed, counts.failed, counts.pending`,
        [jobIds],
      );
      const now = new Date().toISOString();
      await this.outbox.write(
        tx,
        TOPICS.jobs,
        finished.map((row) =>
          dispatchFinishedEnvelope(row.job_id, { completed: Number(row.completed), failed: Number(row.failed), notStarted: Number(row.pending) }, now),
        ),
      );
      return finished.length;
    });
  }

  private async publishOutcomes(
    tx: SqlExecutor,
    rows: { job_id: string; device_id: string; status: string; error: string | null }[],
  ): Promise<void> {
    const now = new Date().toISOString();
    await this.outbox.write(
      tx,
      TOPICS.jobs,
      rows.map((row) => outcomeEnvelope({ jobId: row.job_id, deviceId: row.device_id, ok: row.status === 'completed', error: row.error }, now)),
    );
  }
}
