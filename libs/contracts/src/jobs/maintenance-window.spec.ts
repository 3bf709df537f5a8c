import { isInsideWindow, isInsideWindows, isKnownTimeZone, MaintenanceWindow, secondsOfDay } from './maintenance-window';

const at = (iso: string) => new Date(iso);

describe('maintenance windows', () => {
  describe('a window on one day, in UTC', () => {
    const weekend: MaintenanceWindow = { days: ['sat', 'sun'], start: '02:00', end: '04:00', timeZone: 'UTC' };

    it('holds from its start (inclusive) to its end (exclusive) on its days', () => {
      // 2026-12-05 is a Saturday.
      expect(isInsideWindow(weekend, at('2026-12-05T01:59:59Z'))).toBe(false);
      expect(isInsideWindow(weekend, at('2026-12-05T02:00:00Z'))).toBe(true);
      expect(isInsideWindow(weekend, at('2026-12-06T03:59:59Z'))).toBe(true);
      expect(isInsideWindow(weekend, at('2026-12-05T04:00:00Z'))).toBe(false);
    });

    it('not on other days', () => {
      expect(isInsideWindow(weekend, at('2026-12-07T02:30:00Z'))).toBe(false);
    });

    it('every day when no days are named', () => {
      expect(isInsideWindow({ start: '02:00', end: '04:00', timeZone: 'UTC' }, at('2026-12-07T02:30:00Z'))).toBe(true);
    });
  });

  describe('an overnight window', () => {
    const friday: MaintenanceWindow = { days: ['fri'], start: '22:00', end: '02:00', timeZone: 'UTC' };

    it('runs past midnight into the next day', () => {
      // 2026-12-04 is a Friday.
      expect(isInsideWindow(friday, at('2026-12-04T23:30:00Z'))).toBe(true);
      expect(isInsideWindow(friday, at('2026-12-05T01:30:00Z'))).toBe(true);
      expect(isInsideWindow(friday, at('2026-12-05T02:00:00Z'))).toBe(false);
    });

    it('belongs to the day on which it opens', () => {
      // Friday morning is the end of Thursday's window, which there is none of.
      expect(isInsideWindow(friday, at('2026-12-04T01:30:00Z'))).toBe(false);
      expect(isInsideWindow(friday, at('2026-12-05T23:30:00Z'))).toBe(false);
    });

    it('crosses a month end and a year end', () => {
      const daily: MaintenanceWindow = { start: '23:00', end: '01:00', timeZone: 'UTC' };
      expect(isInsideWindow(daily, at('2026-11-30T23:30:00Z'))).toBe(true);
      expect(isInsideWindow(daily, at('2026-12-01T00:30:00Z'))).toBe(true);
      expect(isInsideWindow(daily, at('2026-12-31T23:59:59Z'))).toBe(true);
      expect(isInsideWindow(daily, at('2027-01-01T00:59:59Z'))).toBe(true);
      expect(isInsideWindow(daily, at('2027-01-01T01:00:00Z'))).toBe(false);
    });
  });

  describe('in a zone with daylight saving time (Europe/Berlin)', () => {
    const night: MaintenanceWindow = { start: '02:00', end: '04:00', timeZone: 'Europe/Berlin' };

    it('keeps its local hours in winter (UTC+1) and summer (UTC+2)', () => {
      expect(isInsideWindow(night, at('2026-01-15T01:30:00Z'))).toBe(true);
      expect(isInsideWindow(night, at('2026-01-15T03:00:00Z'))).toBe(false);
      expect(isInsideWindow(night, at('2026-07-15T00:30:00Z'))).toBe(true);
      expect(isInsideWindow(night, at('2026-07-15T02:00:00Z'))).toBe(false);
    });

    it('is an hour shorter the night the clocks go forward (02:00 does not exist)', () => {
      // 2026-03-29: 01:00 UTC is 03:00 CEST.
      expect(isInsideWindow(night, at('2026-03-29T00:59:59Z'))).toBe(false);
      expect(isInsideWindow(night, at('2026-03-29T01:00:00Z'))).toBe(true);
      expect(isInsideWindow(night, at('2026-03-29T01:59:59Z'))).toBe(true);
      expect(isInsideWindow(night, at('2026-03-29T02:00:00Z'))).toBe(false);
    });

    it('is an hour longer the night the clocks go back (02:00–03:00 happens twice)', () => {
      // 2026-10-25: 00:00 UTC is 02:00 CEST, 01:00 UTC is 02:00 CET, 03:00 UTC is 04:00 CET.
      expect(isInsideWindow(night, at('2026-10-24T23:59:59Z'))).toBe(false);
      expect(isInsideWindow(night, at('2026-10-25T00:00:00Z'))).toBe(true);
      expect(isInsideWindow(night, at('2026-10-25T01:30:00Z'))).toBe(true);
      expect(isInsideWindow(night, at('2026-10-25T02:59:59Z'))).toBe(true);
      expect(isInsideWindow(night, at('2026-10-25T03:00:00Z'))).toBe(false);
    });

    it('takes the day in its own zone, not in UTC', () => {
      // Saturday 00:30 in Berlin is still Friday in UTC.
      const saturday: MaintenanceWindow = { days: ['sat'], start: '00:00', end: '01:00', timeZone: 'Europe/Berlin' };
      expect(isInsideWindow(saturday, at('2026-12-04T23:30:00Z'))).toBe(true);
      expect(isInsideWindow(saturday, at('2026-12-05T23:30:00Z'))).toBe(false);
    });
  });

  it('any of several windows lets a job start devices; no windows means always', () => {
    const windows: MaintenanceWindow[] = [
      { start: '02:00', end: '03:00', timeZone: 'UTC' },
      { start: '14:00', end: '15:00', timeZone: 'UTC' },
    ];
    expect(isInsideWindows(windows, at('2026-12-05T14:30:00Z'))).toBe(true);
    expect(isInsideWindows(windows, at('2026-12-05T12:00:00Z'))).toBe(false);
    expect(isInsideWindows([], at('2026-12-05T12:00:00Z'))).toBe(true);
    expect(isInsideWindows(undefined, at('2026-12-05T12:00:00Z'))).toBe(true);
  });

  it('reads times of day with optional seconds, and knows the time zones of the runtime', () => {
    expect(secondsOfDay('02:00')).toBe(7200);
    expect(secondsOfDay('23:59:59')).toBe(86399);
    expect(secondsOfDay('24:00')).toBeNull();
    expect(secondsOfDay('2:00')).toBeNull();
    expect(isKnownTimeZone('Europe/Berlin')).toBe(true);
    expect(isKnownTimeZone('UTC')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus')).toBe(false);
  });
});
