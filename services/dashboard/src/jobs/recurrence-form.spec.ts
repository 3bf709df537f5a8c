import { describe, expect, it } from 'vitest';
import { cronOfDraft, defaultRecurrenceDraft, RecurrenceDraft, validateRecurrence } from './recurrence-form';

const now = new Date('2026-12-05T10:00:00Z');
const draft = (patch: Partial<RecurrenceDraft>): RecurrenceDraft => ({ ...defaultRecurrenceDraft('Europe/Berlin'), ...patch });
const localOf = (date: Date) => {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}T${p(date.getHours())}:${p(date.getMinutes())}`;
};

describe('the Repeat part of the New job form', () => {
  it('repeats nothing by default', () => {
    expect(validateRecurrence(defaultRecurrenceDraft('UTC'), now)).toEqual({ errors: {} });
  });

  it('writes every day at a time as minute and hour', () => {
    expect(cronOfDraft(draft({ repeat: 'daily', time: '02:30' }))).toBe('30 2 * * *');
    expect(cronOfDraft(draft({ repeat: 'daily', time: '00:00' }))).toBe('0 0 * * *');
  });

  it('writes every week on a day, Sunday as 0', () => {
    expect(cronOfDraft(draft({ repeat: 'weekly', weekday: 'mon', time: '22:05' }))).toBe('5 22 * * 1');
    expect(cronOfDraft(draft({ repeat: 'weekly', weekday: 'sun', time: '06:00' }))).toBe('0 6 * * 0');
    expect(cronOfDraft(draft({ repeat: 'weekly', weekday: 'sat', time: '06:00' }))).toBe('0 6 * * 6');
  });

  it('takes a cron expression as typed, its spaces tidied', () => {
    expect(cronOfDraft(draft({ repeat: 'cron', cron: '  */5   * * * * * ' }))).toBe('*/5 * * * * *');
  });

  it('gives the recurrence with its zone, for ever by default', () => {
    expect(validateRecurrence(draft({ repeat: 'daily', time: '02:00' }), now)).toEqual({ errors: {}, recurrence: { cron: '0 2 * * *', timeZone: 'Europe/Berlin' } });
  });

  it('ends after a number of runs', () => {
    expect(validateRecurrence(draft({ repeat: 'cron', cron: '*/5 * * * * *', timeZone: 'UTC', end: 'count', count: '2' }), now).recurrence).toEqual({
      cron: '*/5 * * * * *',
      timeZone: 'UTC',
      count: 2,
    });
  });

  it('ends on a date, given as an instant', () => {
    const end = new Date(now.getTime() + 7 * 86_400_000);
    end.setSeconds(0, 0);
    expect(validateRecurrence(draft({ repeat: 'weekly', weekday: 'fri', end: 'date', endAt: localOf(end) }), now).recurrence).toEqual({
      cron: '0 2 * * 5',
      timeZone: 'Europe/Berlin',
      endAt: end.toISOString(),
    });
  });

  it('refuses a time of day that is not HH:MM, naming the cron', () => {
    expect(validateRecurrence(draft({ repeat: 'daily', time: '25:00' }), now).errors).toEqual({ 'schedule.recurrence.cron': ['Enter a time HH:MM'] });
    expect(validateRecurrence(draft({ repeat: 'weekly', time: '2' }), now).errors).toEqual({ 'schedule.recurrence.cron': ['Enter a time HH:MM'] });
  });

  it('refuses an empty expression, or one without five or six fields', () => {
    expect(Object.keys(validateRecurrence(draft({ repeat: 'cron', cron: ' ' }), now).errors)).toEqual(['schedule.recurrence.cron']);
    expect(validateRecurrence(draft({ repeat: 'cron', cron: '* * * *' }), now).errors['schedule.recurrence.cron']?.[0]).toMatch(/five fields/);
    expect(validateRecurrence(draft({ repeat: 'cron', cron: '@daily' }), now).recurrence?.cron).toBe('@daily');
  });

  it('refuses an unknown zone', () => {
    expect(Object.keys(validateRecurrence(draft({ repeat: 'daily', timeZone: 'Mars/Olympus' }), now).errors)).toEqual(['schedule.recurrence.timeZone']);
    expect(Object.keys(validateRecurrence(draft({ repeat: 'daily', timeZone: '' }), now).errors)).toEqual(['schedule.recurrence.timeZone']);
  });

  it('refuses a count that is not a whole number of at least 1', () => {
    for (const count of ['0', '-1', '1.5', 'two', '']) {
      expect(validateRecurrence(draft({ repeat: 'daily', end: 'count', count }), now).errors).toEqual({ 'schedule.recurrence.count': ['Enter a whole number of runs, at least 1'] });
    }
  });

  it('refuses an end in the past, or before the start', () => {
    expect(validateRecurrence(draft({ repeat: 'daily', end: 'date', endAt: '2026-12-01T10:00' }), now).errors).toEqual({ 'schedule.recurrence.endAt': ['Choose a time in the future'] });
    expect(validateRecurrence(draft({ repeat: 'daily', end: 'date', endAt: '' }), now).errors).toEqual({ 'schedule.recurrence.endAt': ['Enter a date and time'] });
    const end = new Date(now.getTime() + 86_400_000);
    const start = new Date(now.getTime() + 2 * 86_400_000);
    expect(validateRecurrence(draft({ repeat: 'daily', end: 'date', endAt: localOf(end) }), now, start).errors).toEqual({ 'schedule.recurrence.endAt': ['Choose a time after the start'] });
  });
});
