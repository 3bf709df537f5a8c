import { describe, expect, it } from 'vitest';
import { defaultScheduleDraft, validateSchedule } from './schedule-form';

const now = new Date('2026-12-05T10:00:00Z');

describe('the schedule of the New job form', () => {
  it('schedules nothing by default', () => {
    expect(validateSchedule(defaultScheduleDraft(), now)).toEqual({ errors: {} });
  });

  it('gives a start in the future as an instant', () => {
    const later = new Date(now.getTime() + 3_600_000);
    const local = `${later.getFullYear()}-${String(later.getMonth() + 1).padStart(2, '0')}-${String(later.getDate()).padStart(2, '0')}T${String(later.getHours()).padStart(2, '0')}:${String(later.getMinutes()).padStart(2, '0')}`;
    expect(validateSchedule({ ...defaultScheduleDraft(), startAt: local }, now).schedule).toEqual({ startAt: later.toISOString() });
  });

  it('refuses a start in the past, naming schedule.startAt', () => {
    expect(validateSchedule({ ...defaultScheduleDraft(), startAt: '2026-12-04T10:00' }, now).errors).toEqual({ 'schedule.startAt': ['Choose a time in the future'] });
  });

  it('gives one window with its days, times and zone; no day means every day', () => {
    const draft = { ...defaultScheduleDraft(), windowOn: true, days: ['sat' as const, 'sun' as const], start: '22:00', end: '04:00', timeZone: 'Europe/Berlin' };
    expect(validateSchedule(draft, now).schedule).toEqual({ windows: [{ days: ['sat', 'sun'], start: '22:00', end: '04:00', timeZone: 'Europe/Berlin' }] });
    expect(validateSchedule({ ...draft, days: [] }, now).schedule).toEqual({ windows: [{ start: '22:00', end: '04:00', timeZone: 'Europe/Berlin' }] });
  });

  it('gives a window in each device\'s own zone', () => {
    const draft = { ...defaultScheduleDraft(), windowOn: true, start: '01:00', end: '05:00', timeZone: ' device ' };
    expect(validateSchedule(draft, now)).toEqual({ errors: {}, schedule: { windows: [{ start: '01:00', end: '05:00', timeZone: 'device' }] } });
  });

  it('refuses bad window times and zones, naming the field', () => {
    const draft = { ...defaultScheduleDraft(), windowOn: true };
    expect(Object.keys(validateSchedule({ ...draft, start: '25:00' }, now).errors)).toEqual(['schedule.windows[0].start']);
    expect(Object.keys(validateSchedule({ ...draft, start: '02:00', end: '02:00' }, now).errors)).toEqual(['schedule.windows[0].end']);
    expect(Object.keys(validateSchedule({ ...draft, timeZone: 'Mars/Olympus' }, now).errors)).toEqual(['schedule.windows[0].timeZone']);
  });

  it('gives a recurrence beside the start (not before) and the window', () => {
    const later = new Date(now.getTime() + 3_600_000);
    const local = `${later.getFullYear()}-${String(later.getMonth() + 1).padStart(2, '0')}-${String(later.getDate()).padStart(2, '0')}T${String(later.getHours()).padStart(2, '0')}:${String(later.getMinutes()).padStart(2, '0')}`;
    const recurrence = { ...defaultScheduleDraft().recurrence, repeat: 'daily' as const, time: '03:00', timeZone: 'UTC', end: 'count' as const, count: '5' };
    expect(validateSchedule({ ...defaultScheduleDraft(), recurrence }, now).schedule).toEqual({ recurrence: { cron: '0 3 * * *', timeZone: 'UTC', count: 5 } });
    expect(validateSchedule({ ...defaultScheduleDraft(), startAt: local, recurrence, windowOn: true }, now).schedule).toEqual({
      startAt: later.toISOString(),
      recurrence: { cron: '0 3 * * *', timeZone: 'UTC', count: 5 },
      windows: [{ start: '02:00', end: '04:00', timeZone: 'UTC' }],
    });
  });

  it('names the recurrence field at fault, and gives no schedule then', () => {
    const recurrence = { ...defaultScheduleDraft().recurrence, repeat: 'cron' as const, cron: '* *' };
    expect(validateSchedule({ ...defaultScheduleDraft(), recurrence }, now)).toEqual({ errors: { 'schedule.recurrence.cron': [expect.stringMatching(/five fields/)] } });
  });
});
