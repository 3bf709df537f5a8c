import { Recurrence } from '../api/fleetjobs-api.types';

/** The next runs of a recurrence, or why its expression cannot be read. */
export type UpcomingRuns = { ok: true; runs: Date[] } | { ok: false; message: string };

/** The part of cron-parser the preview uses: the next time after a moment, read in a zone. */
export type CronReader = (cron: string, after: Date, timeZone: string) => Date;

/**
 * The first `limit` runs after `from`, as the API will start them: strictly later each, no more
 * than `count` in all, none past `endAt`.
 */
export function upcomingRuns(recurrence: Recurrence, from: Date, limit: number, next: CronReader): UpcomingRuns {
  const runs: Date[] = [];
  const most = Math.min(limit, recurrence.count ?? limit);
  const end = recurrence.endAt === undefined ? Infinity : Date.parse(recurrence.endAt);
  try {
    for (let after = from; runs.length < most; ) {
      const run = next(recurrence.cron, after, recurrence.timeZone ?? 'UTC');
      if (run.getTime() > end) break;
      runs.push(run);
      after = run;
    }
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  return { ok: true, runs };
}

/**
 * cron-parser (with luxon, for zones) is loaded only when the form shows a repetition, so that it
 * stays out of the dashboard's first download.
 */
export async function loadCronReader(): Promise<CronReader> {
  const { CronExpressionParser } = await import('cron-parser');
  return (cron, after, timeZone) => CronExpressionParser.parse(cron, { currentDate: after, tz: timeZone }).next().toDate();
}

/** A run's time as read in the schedule's zone; seconds only when the expression has them. */
export function formatRunTime(run: Date, timeZone: string, withSeconds: boolean): string {
  return new Intl.DateTimeFormat(undefined, {
    weekday: 'short',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
    timeZone,
  }).format(run);
}

/** A cron expression with six fields starts with seconds. */
export function hasSeconds(cron: string): boolean {
  return cron.trim().split(/\s+/).length === 6;
}
