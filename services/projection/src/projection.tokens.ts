/** The PostgreSQL schema holding the projection's read models. */
export const PROJECTION_SCHEMA = 'projection';

/** DI token of how many days ended jobs stay visible before the sweep deletes them. */
export const JOB_RETENTION_DAYS = Symbol('JOB_RETENTION_DAYS');

export const DEFAULT_JOB_RETENTION_DAYS = 30;

/** Reads `JOB_RETENTION_DAYS` from the environment: a whole number of days, 0 or more. */
export function retentionDaysFromEnv(raw: string | undefined = process.env.JOB_RETENTION_DAYS): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_JOB_RETENTION_DAYS;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 0) {
    throw new Error(`JOB_RETENTION_DAYS must be a whole number of days (0 or more), got "${raw}"`);
  }
  return days;
}
