import { queryRows, SqlExecutor } from '@fleetjobs/persistence-pg';
import { JOB_COMMAND_SCHEMA } from '../../job-command.schema';
import type { QueuedWait } from './job-queue.policy';

const TABLE = `${JOB_COMMAND_SCHEMA}.job_waits`;
const ACTIVE = `${JOB_COMMAND_SCHEMA}.active_jobs`;
const DUE_STARTS = `${JOB_COMMAND_SCHEMA}.due_starts`;

/**
 * The queued jobs (`onConflict: queue`) and the jobs each waits for, written in the transaction
 * that creates the queued job and removed in the one that releases it: the queue survives a
 * crash, and whether a waited-for job is still active is read from `active_jobs`, which changes
 * in the transaction of the decision that ends it.
 */
export const jobQueueStore = {
  ddl(): string[] {
    return [
      `CREATE TABLE IF NOT EXISTS ${TABLE} (job_id text NOT NULL, waits_for text NOT NULL, PRIMARY KEY (job_id, waits_for))`,
    ];
  },

  async add(tx: SqlExecutor, jobId: string, waitingFor: readonly string[]): Promise<void> {
    if (waitingFor.length === 0) return;
    await tx.query(`INSERT INTO ${TABLE} (job_id, waits_for) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`, [jobId, [...waitingFor]]);
  },

  /**
   * Every wait of every queued job whose scheduled start (if any) was reached, with whether the job
   * waited for is still active. A job still awaiting its start cannot be released yet (a recurring
   * schedule's next run waits for the run before it from its creation, days ahead of its start).
   */
  async waits(db: SqlExecutor): Promise<QueuedWait[]> {
    return queryRows<QueuedWait>(
      db,
      `SELECT w.job_id AS "jobId", w.waits_for AS "waitsFor", (a.job_id IS NOT NULL) AS "waitedActive"
         FROM ${TABLE} w LEFT JOIN ${ACTIVE} a ON a.job_id = w.waits_for
        WHERE NOT EXISTS (SELECT 1 FROM ${DUE_STARTS} d WHERE d.job_id = w.job_id)`,
    );
  },

  /** The queued jobs waiting for any of these jobs, with all they wait for. */
  async queuedBehind(db: SqlExecutor, jobIds: readonly string[]): Promise<{ jobId: string; waitsFor: string[] }[]> {
    if (jobIds.length === 0) return [];
    return queryRows<{ jobId: string; waitsFor: string[] }>(
      db,
      `SELECT job_id AS "jobId", array_agg(waits_for ORDER BY waits_for) AS "waitsFor" FROM ${TABLE}
        WHERE job_id IN (SELECT job_id FROM ${TABLE} WHERE waits_for = ANY($1::text[]))
        GROUP BY job_id`,
      [[...jobIds]],
    );
  },

  async remove(tx: SqlExecutor, jobId: string): Promise<void> {
    await tx.query(`DELETE FROM ${TABLE} WHERE job_id = $1`, [jobId]);
  },
};
