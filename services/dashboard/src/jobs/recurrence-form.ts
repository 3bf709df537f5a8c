import { Recurrence } from '../api/fleetjobs-api.types';
import type { Weekday } from './schedule-form';

/** How often a job repeats, as the New job form offers it: not at all, daily, weekly, or any cron expression. */
export type RepeatKind = 'none' | 'daily' | 'weekly' | 'cron';
/** When a repetition stops: never, after a number of runs, or at a time. */
export type RepeatEnd = 'never' | 'count' | 'date';

/** The Repeat part of the Schedule section. */
export interface RecurrenceDraft {
  repeat: RepeatKind;
  /** HH:MM, for daily and weekly. */
  time: string;
  weekday: Weekday;
  /** Five fields, or six with seconds first. */
  cron: string;
  /** IANA zone the time of day (or the cron's hours and days) is read in. */
  timeZone: string;
  end: RepeatEnd;
  count: string;
  /** A `datetime-local` value, in the browser's zone: no run starts after it. */
  endAt: string;
}

/** The browser's own zone, the natural one to read "every day at 02:00" in. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function defaultRecurrenceDraft(timeZone = browserTimeZone()): RecurrenceDraft {
  return { repeat: 'none', time: '02:00', weekday: 'mon', cron: '0 2 * * *', timeZone, end: 'never', count: '10', endAt: '' };
}

/** The fields that errors about a recurrence land next to. */
export const RECURRENCE_FIELDS = ['schedule.recurrence', 'schedule.recurrence.cron', 'schedule.recurrence.timeZone', 'schedule.recurrence.count', 'schedule.recurrence.endAt'];

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;
/** Cron's day of the week: 0 is Sunday. */
const CRON_WEEKDAY: Record<Weekday, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

export function isKnownTimeZone(timeZone: string): boolean {
  if (!timeZone) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The cron expression the draft stands for; empty while its time of day is not HH:MM. */
export function cronOfDraft(draft: RecurrenceDraft): string {
  if (draft.repeat === 'cron') return draft.cron.trim().replace(/\s+/g, ' ');
  const time = TIME_OF_DAY.exec(draft.time.trim());
  if (!time || draft.repeat === 'none') return '';
  const [hour, minute] = [Number(time[1]), Number(time[2])];
  return draft.repeat === 'daily' ? `${minute} ${hour} * * *` : `${minute} ${hour} * * ${CRON_WEEKDAY[draft.weekday]}`;
}

/** Five or six fields, or a macro such as @daily; the API reads the expression itself and names what is wrong. */
function looksLikeCron(cron: string): boolean {
  if (/^@[a-z]+$/i.test(cron)) return true;
  const fields = cron.split(' ');
  return (fields.length === 5 || fields.length === 6) && fields.every((field) => /^[\w*?/,#-]+$/.test(field));
}

/**
 * Checks the Repeat part as the API will and gives the body's `schedule.recurrence`; none when the
 * job does not repeat. `startAt` is the schedule's own start (not before), if any.
 */
export function validateRecurrence(draft: RecurrenceDraft, now: Date, startAt?: Date): { errors: Record<string, string[]>; recurrence?: Recurrence } {
  const errors: Record<string, string[]> = {};
  if (draft.repeat === 'none') return { errors };
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  const cron = cronOfDraft(draft);
  if (draft.repeat === 'cron') {
    if (!cron) add('schedule.recurrence.cron', 'Enter a cron expression, such as 0 2 * * 1-5');
    else if (!looksLikeCron(cron)) add('schedule.recurrence.cron', 'Enter five fields (minute hour day month weekday), or six with seconds first');
  } else if (!cron) add('schedule.recurrence.cron', 'Enter a time HH:MM');
  const timeZone = draft.timeZone.trim();
  if (!isKnownTimeZone(timeZone)) add('schedule.recurrence.timeZone', 'Enter a time zone such as UTC or Europe/Berlin');
  let end: Pick<Recurrence, 'count' | 'endAt'> = {};
  if (draft.end === 'count') {
    const count = Number(draft.count.trim());
    if (!/^\d+$/.test(draft.count.trim()) || count < 1) add('schedule.recurrence.count', 'Enter a whole number of runs, at least 1');
    else end = { count };
  } else if (draft.end === 'date') {
    const at = new Date(draft.endAt);
    if (!draft.endAt || Number.isNaN(at.getTime())) add('schedule.recurrence.endAt', 'Enter a date and time');
    else if (at.getTime() <= now.getTime()) add('schedule.recurrence.endAt', 'Choose a time in the future');
    else if (startAt && at.getTime() <= startAt.getTime()) add('schedule.recurrence.endAt', 'Choose a time after the start');
    else end = { endAt: at.toISOString() };
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { errors, recurrence: { cron, timeZone, ...end } };
}
