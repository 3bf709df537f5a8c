/**
 * Exit codes of `fleetjobs` (also in the README):
 * 0 success (for `jobs watch`: the job completed) · 1 the API refused the request or could not be
 * reached · 2 bad usage (an unknown flag, an unreadable file) · 3 `jobs watch`: the job failed ·
 * 4 `jobs watch`: the job was stopped.
 */
export const EXIT = { ok: 0, error: 1, usage: 2, jobFailed: 3, jobStopped: 4 } as const;

/** Wrong input on the command line or in a file given to it; `field` names the flag, column or field. */
export class UsageError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** The API could not be reached at all (no answer). */
export class UnreachableError extends Error {
  constructor(
    readonly baseUrl: string,
    readonly reason: string,
  ) {
    super(`cannot reach ${baseUrl}: ${reason}`);
  }
}
