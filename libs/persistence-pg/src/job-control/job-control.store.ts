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
 * and from then on nothing of the job can reach the hub. A pause is the same, undone by resume.
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
      ...this.pauseDdl(),
    ];
  }

  /** Added after the table: a migration of its own runs it on databases created before. */
  pauseDdl(): string[] {
    return [`ALTER TABLE ${this.schema}.job_control ADD COLUMN IF NOT EXISTS paused_at timestamptz`];
  }

  /**
   * Extends the permits of the jobs neither halted nor paused by `leaseMs` from now (the
   * database's clock). Answers which jobs got one, which are halted (for good) and which are
   * paused (for now: a job resumed meanwhile may count as paused once more, never as halted).
   */
  async grant(executor: SqlExecutor, jobIds: string[], leaseMs: number): Promise<{ granted: string[]; halted: string[]; paused: string[] }> {
    if (jobIds.length === 0) return { granted: [], halted: [], paused: [] };
    const unique = [...new Set(jobIds)];
    const rows = await queryRows<{ job_id: string }>(
      executor,
      `INSERT INTO ${this.schema}.job_control (job_id, permits_until)
       SELECT id, now() + make_interval(secs => $2::double precision / 1000) FROM unnest($1::text[]) AS ids(id)
       ON CONFLICT (job_id) DO UPDATE
         SET permits_until = greatest(${this.schema}.job_control.permits_until, EXCLUDED.permits_until)
         WHERE ${this.schema}.job_control.halted_at IS NULL AND ${this.schema}.job_control.paused_at IS NULL
       RETURNING job_id`,
      [unique, leaseMs],
    );
    const granted = new Set(rows.map((row) => row.job_id));
    const refused = unique.filter((id) => !granted.has(id));
    if (refused.length === 0) return { granted: [...granted], halted: [], paused: [] };
    // A halt is never undone, so a job seen halted now was halted when its grant was refused.
    const haltedRows = await queryRows<{ job_id: string }>(
      executor,
      `SELECT job_id FROM ${this.schema}.job_control WHERE job_id = ANY($1::text[]) AND halted_at IS NOT NULL`,
      [refused],
    );
    const halted = new Set(haltedRows.map((row) => row.job_id));
    return { granted: [...granted], halted: [...halted], paused: refused.filter((id) => !halted.has(id)) };
  }

  /** Pauses the job in the caller's transaction: no permit is granted until it is resumed. */
  async pause(executor: SqlExecutor, jobId: string): Promise<void> {
    await executor.query(
      `INSERT INTO ${this.schema}.job_control (job_id, paused_at) VALUES ($1, now())
       ON CONFLICT (job_id) DO UPDATE SET paused_at = coalesce(${this.schema}.job_control.paused_at, now())`,
      [jobId],
    );
  }

  /** Lets permits be granted again (a halt, if any, still refuses them). */
  async resume(executor: SqlExecutor, jobId: string): Promise<void> {
    await executor.query(`UPDATE ${this.schema}.job_control SET paused_at = NULL WHERE job_id = $1`, [jobId]);
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
