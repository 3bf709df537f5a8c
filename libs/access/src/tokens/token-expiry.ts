/** A token's lifetime when its creator names none. */
export const DEFAULT_TOKEN_DAYS = 90;
/** The longest lifetime a token may be given. */
export const MAX_TOKEN_DAYS = 365;

const DAY_MS = 24 * 60 * 60 * 1000;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * When a new token expires: the requested ISO time, which must lie in the future and at most
 * a year ahead, or 90 days from now. A message saying what is wrong with `expiresAt` otherwise.
 */
export function tokenExpiry(requested: string | undefined, now: Date): { expiresAt: Date } | { error: string } {
  if (requested === undefined) return { expiresAt: new Date(now.getTime() + DEFAULT_TOKEN_DAYS * DAY_MS) };
  const time = ISO_TIME.test(requested) && isCalendarDate(requested.slice(0, 10)) ? new Date(requested) : null;
  if (!time || Number.isNaN(time.getTime())) return { error: 'must be an ISO 8601 date-time with a time zone, e.g. 2027-01-31T00:00:00Z' };
  if (time.getTime() <= now.getTime()) return { error: 'must be in the future' };
  if (time.getTime() > now.getTime() + MAX_TOKEN_DAYS * DAY_MS) return { error: `must be at most ${MAX_TOKEN_DAYS} days ahead` };
  return { expiresAt: time };
}

/** `YYYY-MM-DD` names a day of the calendar (not 2027-02-30, which Date would roll over). */
function isCalendarDate(day: string): boolean {
  const [year, month, date] = day.split('-').map(Number);
  const parsed = new Date(Date.UTC(year, month - 1, date));
  return parsed.getUTCFullYear() === year && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === date;
}

/** Whether a stored token is still good at `now`. */
export function tokenIsLive(token: { expiresAt: Date | null; revokedAt: Date | null }, now: Date): boolean {
  return token.revokedAt === null && (token.expiresAt === null || token.expiresAt.getTime() > now.getTime());
}
