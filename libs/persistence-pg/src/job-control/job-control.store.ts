import { queryRows, SqlExecutor } from '../sql';

/** Schema of the job-control table: it belongs to job-command, which owns the job and its halt. */
export const JOB_CONTROL_SCHEMA = 'job_command';

/**
 * The one place where a job's halt and the dispatchers' permits to send meet.
 *
 * A dispatcher may send a mutating hub request for a job only under a committed permit: a lease
 * on the job's row that extends `permits_until`. A halt is an update of the same row, so grants
 * and halts are serialised by its row lock: once the halt commits, no grant can succeed, and
 * every permit granted before it ends at `permits_until`. Whoever halts waits for that moment,
 * and from then on nothing of the job can reach the hub.
 */
export class JobControlStore {
  constructor(private readonly schema: string = JOB_CONTROL_SCHEMA) {}

  ddl(): string[] {
    return [
      `CREATE SCHEMA IF NOT EXISTS ${this.schema}`,
      `CREATE TABLE IF NOT EXISTS ${this.schema}.job_control (
         job_id text PRIMARY KEY,
         halted_at timestamptz,
         halt_reason text,
         permits_until timestamptz
       )`,
    ];
  }

  /**
   * Extends the permits of the jobs not halted by `leaseMs` from now (the database's clock).
   * Answers which jobs got one and which are halted.
   */
  async grant(executor: SqlExecutor, jobIds: string[], leaseMs: number): Promise<{ granted: string[]; halted: string[] }> {
    if (jobIds.length === 0) return { granted: [], halted: [] };
    const unique = [...new Set(jobIds)];
    const rows = await queryRows<{ job_id: string }>(
      executor,
      `INSERT INTO ${this.schema}.job_control (job_id, permits_until)
       SELECT id, now() + make_interval(secs => $2::double precision / 1000) FROM unnest($1::text[]) AS ids(id)
       ON CONFLICT (job_id) DO UPDATE
         SET permits_until = greatest(${this.schema}.job_control.permits_until, EXCLUDED.permits_until)
         WHERE ${this.schema}.job_control.halted_at IS NULL
       RETURNING job_id`,
      [unique, leaseMs],
    );
    const granted = new Set(rows.map((row) => row.job_id));
    return { granted: [...granted], halted: unique.filter((id) => !granted.has(id)) };
  }

  /** Halts the job in the caller's transaction; the first halt's time and reason are kept. */
  async halt(executor: SqlExecutor, jobId: string, reason: string): Promise<void> {
    await executor.query(
      `INSERT INTO ${this.schema}.job_control (job_id, halted_at, halt_reason) VALUES ($1, now(), $2)
       ON CONFLICT (job_id) DO UPDATE
         SET halted_at = coalesce(${this.schema}.job_control.halted_at, now()),
             halt_reason = coalesce(${this.schema}.job_control.halt_reason, EXCLUDED.halt_reason)`,
      [jobId, reason],
    );
  }

  /** Milliseconds until the last permit granted for the job runs out (0 when none is left). */
  async outstandingPermitMs(executor: SqlExecutor, jobId: string): Promise<number> {
    const rows = await queryRows<{ ms: string | number | null }>(
      executor,
      `SELECT greatest(0, extract(epoch FROM (permits_until - now())) * 1000) AS ms
       FROM ${this.schema}.job_control WHERE job_id = $1`,
      [jobId],
    );
    return Math.ceil(Number(rows[0]?.ms ?? 0));
  }

  async isHalted(executor: SqlExecutor, jobId: string): Promise<boolean> {
    const rows = await queryRows(executor, `SELECT 1 FROM ${this.schema}.job_control WHERE job_id = $1 AND halted_at IS NOT NULL`, [jobId]);
    return rows.length > 0;
  }
}
