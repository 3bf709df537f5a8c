import { queryRows, SqlExecutor } from '@fleetjobs/persistence-pg';
import { JOB_COMMAND_SCHEMA } from '../../job-command.schema';

const TABLE = `${JOB_COMMAND_SCHEMA}.active_jobs`;
/** Serialises the jobs that begin, so two at once cannot both take the last place. */
const BEGIN_LOCK = 'fleetjobs:job-command:active-jobs';

/** The jobs that are pending, running or paused, kept in the transaction of the decision that changes it. */
export const activeJobsStore = {
  ddl(): string[] {
    return [
      `CREATE TABLE IF NOT EXISTS ${TABLE} (job_id text PRIMARY KEY)`,
      // Jobs created before the table: active when created and not yet ended.
      `INSERT INTO ${TABLE} (job_id)
         SELECT stream_id FROM ${JOB_COMMAND_SCHEMA}.events GROUP BY stream_id
         HAVING bool_or(type = 'JobCreated') AND NOT bool_or(type IN ('JobCompleted', 'JobFailed', 'JobStopped'))
       ON CONFLICT DO NOTHING`,
    ];
  },

  /** How many jobs are active, under a lock held to the end of the transaction. */
  async countForBegin(tx: SqlExecutor): Promise<number> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [BEGIN_LOCK]);
    const [row] = await queryRows<{ n: number }>(tx, `SELECT count(*)::int AS n FROM ${TABLE}`);
    return row.n;
  },

  /** Which of these jobs are active here, where a job's end is decided (the read model may not know it yet). */
  async activeAmong(db: SqlExecutor, jobIds: readonly string[]): Promise<Set<string>> {
    if (jobIds.length === 0) return new Set();
    const rows = await queryRows<{ job_id: string }>(db, `SELECT job_id FROM ${TABLE} WHERE job_id = ANY($1::text[])`, [[...jobIds]]);
    return new Set(rows.map((row) => row.job_id));
  },

  async begin(tx: SqlExecutor, jobId: string): Promise<void> {
    await tx.query(`INSERT INTO ${TABLE} (job_id) VALUES ($1) ON CONFLICT DO NOTHING`, [jobId]);
  },

  async end(tx: SqlExecutor, jobId: string): Promise<void> {
    await tx.query(`DELETE FROM ${TABLE} WHERE job_id = $1`, [jobId]);
  },
};
