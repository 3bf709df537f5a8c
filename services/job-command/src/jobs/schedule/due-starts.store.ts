import { queryRows, SqlExecutor } from '@fleetjobs/persistence-pg';
import { JOB_COMMAND_SCHEMA } from '../../job-command.schema';
import type { JobEvent } from '../job.decider';

const TABLE = `${JOB_COMMAND_SCHEMA}.due_starts`;

/**
 * The scheduled starts still to be reached, written in the transaction of the decision that
 * schedules the job, so a start is never lost across a crash; the poller removes a row in the
 * transaction that decides its `JobStartReached` (or finds there is nothing left to start).
 */
export const dueStartsStore = {
  ddl(): string[] {
    return [
      `CREATE TABLE IF NOT EXISTS ${TABLE} (job_id text PRIMARY KEY, due_at timestamptz NOT NULL)`,
      `CREATE INDEX IF NOT EXISTS due_starts_due_at ON ${TABLE} (due_at)`,
    ];
  },

  /** Keeps the start of a job created with a schedule; forgets it once reached (also with an approval) or stopped before. */
  async keep(tx: SqlExecutor, jobId: string, events: JobEvent[]): Promise<void> {
    for (const event of events) {
      const startAt = event.type === 'JobCreated' ? event.data.schedule?.startAt : undefined;
      if (startAt) {
        await tx.query(`INSERT INTO ${TABLE} (job_id, due_at) VALUES ($1, $2) ON CONFLICT (job_id) DO NOTHING`, [jobId, startAt]);
      }
      if (event.type === 'JobStartReached' || event.type === 'JobStopped') await this.done(tx, jobId);
    }
  },

  /** The jobs whose start is due at `now`, earliest first. */
  async due(db: SqlExecutor, now: Date, limit: number): Promise<string[]> {
    const rows = await queryRows<{ job_id: string }>(db, `SELECT job_id FROM ${TABLE} WHERE due_at <= $1 ORDER BY due_at LIMIT $2`, [now.toISOString(), limit]);
    return rows.map((row) => row.job_id);
  },

  async done(tx: SqlExecutor, jobId: string): Promise<void> {
    await tx.query(`DELETE FROM ${TABLE} WHERE job_id = $1`, [jobId]);
  },

  /** Looks at the job again later (it still waits for its approval, which will start it). */
  async later(tx: SqlExecutor, jobId: string, dueAt: Date): Promise<void> {
    await tx.query(`UPDATE ${TABLE} SET due_at = $2 WHERE job_id = $1`, [jobId, dueAt.toISOString()]);
  },
};
