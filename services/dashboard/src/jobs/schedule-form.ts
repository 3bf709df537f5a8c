import { NewJob } from '../api/fleetjobs-api.types';
import { defaultRecurrenceDraft, RECURRENCE_FIELDS, RecurrenceDraft, validateRecurrence } from './recurrence-form';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The schedule part of the New job screen: a later start, a repetition and one maintenance window. */
export interface ScheduleDraft {
  /** A `datetime-local` value, in the browser's zone; empty: start at once (or repeat from now on). */
  startAt: string;
  recurrence: RecurrenceDraft;
  windowOn: boolean;
  /** No day chosen: every day. */
  days: Weekday[];
  start: string;
  end: string;
  timeZone: string;
}

type JobSchedule = NonNullable<NewJob['schedule']>;

export function defaultScheduleDraft(): ScheduleDraft {
  return { startAt: '', recurrence: defaultRecurrenceDraft(), windowOn: false, days: [], start: '02:00', end: '04:00', timeZone: 'UTC' };
}

/** The form fields that API errors about a schedule land next to. */
export const SCHEDULE_FIELDS = ['schedule', 'schedule.startAt', 'schedule.windows', 'schedule.windows[0].days', 'schedule.windows[0].start', 'schedule.windows[0].end', 'schedule.windows[0].timeZone', ...RECURRENCE_FIELDS];

/** A window read in each device's own zone (its `timezone` tag; UTC without one). */
export const DEVICE_TIME_ZONE = 'device';

const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;

function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Checks the schedule as the API will and gives the body's `schedule`; none when nothing is scheduled. */
export function validateSchedule(draft: ScheduleDraft, now: Date): { errors: Record<string, string[]>; schedule?: JobSchedule } {
  const errors: Record<string, string[]> = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  let startAt: Date | undefined;
  if (draft.startAt) {
    const at = new Date(draft.startAt);
    if (Number.isNaN(at.getTime())) add('schedule.startAt', 'Enter a date and time');
    else if (at.getTime() <= now.getTime()) add('schedule.startAt', 'Choose a time in the future');
    else startAt = at;
  }
  const { errors: recurrenceErrors, recurrence } = validateRecurrence(draft.recurrence, now, startAt);
  Object.assign(errors, recurrenceErrors);
  let window: NonNullable<JobSchedule['windows']>[number] | undefined;
  if (draft.windowOn) {
    if (!TIME_OF_DAY.test(draft.start)) add('schedule.windows[0].start', 'Enter a time HH:MM');
    if (!TIME_OF_DAY.test(draft.end)) add('schedule.windows[0].end', 'Enter a time HH:MM');
    else if (draft.start === draft.end) add('schedule.windows[0].end', 'Must differ from the start (an end before the start runs overnight)');
    if (draft.timeZone.trim() !== DEVICE_TIME_ZONE && !isKnownTimeZone(draft.timeZone.trim())) {
      add('schedule.windows[0].timeZone', 'Enter a time zone such as UTC or Europe/Berlin, or "device" for each device\'s own');
    }
    window = { ...(draft.days.length > 0 ? { days: draft.days } : {}), start: draft.start, end: draft.end, timeZone: draft.timeZone.trim() };
  }
  if (Object.keys(errors).length > 0 || (!startAt && !window && !recurrence)) return { errors };
  return {
    errors,
    schedule: { ...(startAt ? { startAt: startAt.toISOString() } : {}), ...(recurrence ? { recurrence } : {}), ...(window ? { windows: [window] } : {}) },
  };
}
