import { CronExpressionParser } from 'cron-parser';

/**
 * How a schedule repeats: a cron expression (5 fields, or 6 with seconds first) read in `timeZone`,
 * until `endAt` or for `count` runs (not both; neither: for ever).
 */
export interface Recurrence {
  cron: string;
  /** IANA zone the expression's hours and days are read in; UTC when absent. */
  timeZone?: string;
  endAt?: string;
  count?: number;
}

export interface RecurrenceProblem {
  field: string;
  message: string;
}

/** What is wrong with a recurrence, each problem naming its field under `schedule.recurrence`. */
export function recurrenceProblems(recurrence: Recurrence, now: Date): RecurrenceProblem[] {
  const problems: RecurrenceProblem[] = [];
  const field = (name: string) => `schedule.recurrence.${name}`;
  let zoneKnown = true;
  if (recurrence.timeZone !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: recurrence.timeZone });
    } catch {
      zoneKnown = false;
      problems.push({ field: field('timeZone'), message: 'must be an IANA time zone such as UTC or Europe/Berlin' });
    }
  }
  try {
    CronExpressionParser.parse(recurrence.cron, { currentDate: now, tz: zoneKnown ? (recurrence.timeZone ?? 'UTC') : 'UTC' });
  } catch (error) {
    problems.push({ field: field('cron'), message: `is not a cron expression: ${error instanceof Error ? error.message : String(error)}` });
  }
  if (recurrence.endAt !== undefined && recurrence.count !== undefined) {
    problems.push({ field: field('count'), message: 'must not be given together with endAt: a schedule ends either at a time or after a number of runs' });
  }
  if (recurrence.endAt !== undefined && !(Date.parse(recurrence.endAt) > now.getTime())) {
    problems.push({ field: field('endAt'), message: 'must be a time in the future' });
  }
  if (recurrence.count !== undefined && !(Number.isInteger(recurrence.count) && recurrence.count >= 1)) {
    problems.push({ field: field('count'), message: 'must be a whole number of runs, at least 1' });
  }
  return problems;
}

/**
 * The run after `after` (strictly later), or null when the schedule is over: `runsSoFar` runs
 * reached its count, or the next time lies past its end. A time a clock change skips runs once,
 * moved on by the skipped hour (02:30 on the night the clocks go from 02:00 to 03:00 runs at
 * 03:30); a time a clock change repeats runs once.
 */
export function occurrenceAfter(recurrence: Recurrence, after: Date, runsSoFar: number): Date | null {
  if (recurrence.count !== undefined && runsSoFar >= recurrence.count) return null;
  const times = CronExpressionParser.parse(recurrence.cron, { currentDate: after, tz: recurrence.timeZone ?? 'UTC' });
  const next = times.next().toDate();
  if (recurrence.endAt !== undefined && next.getTime() > Date.parse(recurrence.endAt)) return null;
  return next;
}

/** The first `limit` runs from `from` on, for showing what a schedule will do. */
export function upcomingRuns(recurrence: Recurrence, from: Date, limit: number): Date[] {
  const runs: Date[] = [];
  for (let after = from; runs.length < limit; ) {
    const next = occurrenceAfter(recurrence, after, runs.length);
    if (!next) break;
    runs.push(next);
    after = next;
  }
  return runs;
}
