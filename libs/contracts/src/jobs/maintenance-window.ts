/** Days of the week as a window names them. */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * A recurring maintenance window: local times `start` (inclusive) to `end` (exclusive) on each of
 * `days`, in `timeZone`. When `end` is not after `start` the window runs overnight, to `end` on
 * the next day; a window belongs to the day on which it opens. Local wall-clock times, so a window
 * keeps its local hours across daylight-saving changes (it is an hour shorter or longer that night).
 */
export interface MaintenanceWindow {
  /** Absent: every day. */
  days?: Weekday[];
  /** `HH:MM` or `HH:MM:SS`, 24-hour. */
  start: string;
  end: string;
  /** An IANA time zone such as `Europe/Berlin`, or `UTC`. */
  timeZone: string;
}

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

/** Seconds since local midnight of `HH:MM[:SS]`; null when it is no time of day. */
export function secondsOfDay(time: string): number | null {
  const match = TIME_OF_DAY.exec(time);
  if (!match) return null;
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3] ?? 0);
}

/** Whether `timeZone` is one this runtime knows (IANA names and `UTC`). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The local weekday and seconds since local midnight of an instant in a zone. */
export function localTime(instant: Date, timeZone: string): { day: number; seconds: number } {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(instant).map((part) => [part.type, part.value]));
  const day = WEEKDAYS.indexOf(String(parts.weekday).toLowerCase().slice(0, 3) as Weekday);
  return { day, seconds: Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second) };
}

/** Whether the instant lies inside the window. */
export function isInsideWindow(window: MaintenanceWindow, instant: Date): boolean {
  const start = secondsOfDay(window.start);
  const end = secondsOfDay(window.end);
  if (start === null || end === null) return false;
  const { day, seconds } = localTime(instant, window.timeZone);
  const onDay = (d: number) => !window.days || window.days.includes(WEEKDAYS[(d + 7) % 7]);
  if (start < end) return onDay(day) && seconds >= start && seconds < end;
  // Overnight: the evening part belongs to today, the morning part to the day before.
  return (onDay(day) && seconds >= start) || (onDay(day - 1) && seconds < end);
}

/** Whether the instant lies inside any of the windows; a job without windows may always start devices. */
export function isInsideWindows(windows: readonly MaintenanceWindow[] | undefined | null, instant: Date): boolean {
  if (!windows || windows.length === 0) return true;
  return windows.some((window) => isInsideWindow(window, instant));
}
