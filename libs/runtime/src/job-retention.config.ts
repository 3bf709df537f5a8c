/** Days an ended job's history is kept when `JOB_RETENTION_DAYS` is not set. */
export const DEFAULT_JOB_RETENTION_DAYS = 30;

/**
 * Parses `JOB_RETENTION_DAYS`: a whole number of days, 0 or more. Every process that drops what it
 * keeps of ended jobs reads it (each names it, so that the deployment files are checked against it).
 */
export function retentionDaysFromEnv(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_JOB_RETENTION_DAYS;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 0) {
    throw new Error(`JOB_RETENTION_DAYS must be a whole number of days (0 or more), got "${raw}"`);
  }
  return days;
}
