/** The most devices one set-wide job may reach unless `MAX_DEVICES_PER_JOB` says otherwise. */
export const DEFAULT_MAX_DEVICES_PER_JOB = 1_000_000;

/** `MAX_DEVICES_PER_JOB`: a whole number ≥ 1; anything else stops the start, naming the variable. */
export function readMaxDevicesPerJob(environment: Record<string, string | undefined>): number {
  const text = (environment.MAX_DEVICES_PER_JOB ?? '').trim();
  if (text === '') return DEFAULT_MAX_DEVICES_PER_JOB;
  if (!/^[1-9]\d*$/.test(text)) throw new Error(`MAX_DEVICES_PER_JOB must be a whole number of devices ≥ 1, not "${text}"`);
  return Number(text);
}

/** Whether a set of `members` (counted up to `max + 1`) is too large for one job. */
export function exceedsJobSize(members: number, max: number): boolean {
  return members > max;
}
