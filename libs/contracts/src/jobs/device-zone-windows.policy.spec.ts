import { deviceTimeZone, hasDeviceZoneWindows, openTimeZones } from './device-zone-windows.policy';
import { MaintenanceWindow } from './maintenance-window';

const at = (iso: string) => new Date(iso);
const inDeviceZone = (window: Omit<MaintenanceWindow, 'timeZone'>): MaintenanceWindow => ({ ...window, timeZone: 'device' });

describe("windows in each device's own zone", () => {
  describe("a device's zone", () => {
    it('is its timezone tag as the runtime names that zone', () => {
      expect(deviceTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
      expect(deviceTimeZone('europe/berlin')).toBe('Europe/Berlin');
      expect(deviceTimeZone('Asia/Tokyo')).toBe('Asia/Tokyo');
    });

    it('is UTC without the tag, with an empty one, or with a zone nobody knows', () => {
      expect(deviceTimeZone(undefined)).toBe('UTC');
      expect(deviceTimeZone(null)).toBe('UTC');
      expect(deviceTimeZone(' ')).toBe('UTC');
      expect(deviceTimeZone('Mars/Olympus')).toBe('UTC');
      expect(deviceTimeZone('device')).toBe('UTC');
    });
  });

  it('a job without windows, or with a fixed-zone window open, may start any device', () => {
    expect(openTimeZones(undefined, ['UTC'], at('2026-12-05T12:00:00Z'))).toBeNull();
    expect(openTimeZones([], ['UTC'], at('2026-12-05T12:00:00Z'))).toBeNull();
    expect(openTimeZones([{ start: '11:00', end: '13:00', timeZone: 'UTC' }], ['Asia/Tokyo'], at('2026-12-05T12:00:00Z'))).toBeNull();
  });

  it('a job whose windows are all in fixed zones and closed may start none', () => {
    expect(openTimeZones([{ start: '02:00', end: '04:00', timeZone: 'UTC' }], ['UTC', 'Asia/Tokyo'], at('2026-12-05T12:00:00Z'))).toEqual([]);
  });

  it('opens a device window in each zone at its own local hours, judging each zone once', () => {
    const night = [inDeviceZone({ start: '02:00', end: '04:00' })];
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Europe/Berlin'];
    // 01:30 UTC is 02:30 in Berlin (UTC+1 in December), 20:30 in New York, 10:30 in Tokyo.
    expect(openTimeZones(night, zones, at('2026-12-05T01:30:00Z'))).toEqual(['Europe/Berlin']);
    expect(openTimeZones(night, zones, at('2026-12-05T02:30:00Z'))).toEqual(['UTC', 'Europe/Berlin']);
    // 17:30 UTC is 02:30 the next day in Tokyo.
    expect(openTimeZones(night, zones, at('2026-12-05T17:30:00Z'))).toEqual(['Asia/Tokyo']);
    expect(openTimeZones(night, zones, at('2026-12-05T12:00:00Z'))).toEqual([]);
  });

  it('is an hour shorter where the clocks go forward that night, and only there', () => {
    const night = [inDeviceZone({ start: '02:00', end: '04:00' })];
    const zones = ['America/New_York', 'America/Chicago'];
    // 2026-03-08 in New York: 07:00 UTC is 03:00 EDT (02:00 EST never happens).
    expect(openTimeZones(night, zones, at('2026-03-08T06:59:59Z'))).toEqual([]);
    expect(openTimeZones(night, zones, at('2026-03-08T07:00:00Z'))).toEqual(['America/New_York']);
    expect(openTimeZones(night, zones, at('2026-03-08T07:59:59Z'))).toEqual(['America/New_York']);
    // 08:00 UTC is 04:00 EDT in New York, 03:00 CDT in Chicago (whose window opened at 02:00 CST, 08:00 UTC).
    expect(openTimeZones(night, zones, at('2026-03-08T08:00:00Z'))).toEqual(['America/Chicago']);
    expect(openTimeZones(night, zones, at('2026-03-08T08:59:59Z'))).toEqual(['America/Chicago']);
    expect(openTimeZones(night, zones, at('2026-03-08T09:00:00Z'))).toEqual([]);
  });

  it('is an hour longer where the clocks go back that night (01:00–02:00 happens twice)', () => {
    const window = [inDeviceZone({ start: '01:00', end: '02:00' })];
    // 2026-11-01 in New York: 05:00 UTC is 01:00 EDT, 06:00 UTC is 01:00 EST again, 07:00 UTC is 02:00 EST.
    expect(openTimeZones(window, ['America/New_York'], at('2026-11-01T04:59:59Z'))).toEqual([]);
    expect(openTimeZones(window, ['America/New_York'], at('2026-11-01T05:00:00Z'))).toEqual(['America/New_York']);
    expect(openTimeZones(window, ['America/New_York'], at('2026-11-01T06:30:00Z'))).toEqual(['America/New_York']);
    expect(openTimeZones(window, ['America/New_York'], at('2026-11-01T07:00:00Z'))).toEqual([]);
  });

  it("runs an overnight window into the next local day, on the days of the device's own zone", () => {
    // Friday 22:00 to Saturday 02:00, local. 2026-12-04 is a Friday.
    const friday = [inDeviceZone({ days: ['fri'], start: '22:00', end: '02:00' })];
    const zones = ['Asia/Tokyo', 'America/Los_Angeles'];
    // Friday 23:30 in Tokyo, Friday 06:30 in Los Angeles.
    expect(openTimeZones(friday, zones, at('2026-12-04T14:30:00Z'))).toEqual(['Asia/Tokyo']);
    // Saturday 00:30 in Los Angeles (Friday's window still open), Saturday 17:30 in Tokyo.
    expect(openTimeZones(friday, zones, at('2026-12-05T08:30:00Z'))).toEqual(['America/Los_Angeles']);
    // Saturday 02:00 in Tokyo: closed (the end is exclusive).
    expect(openTimeZones(friday, zones, at('2026-12-04T17:00:00Z'))).toEqual([]);
  });

  it('crosses month and year ends by the local date', () => {
    // 2027-01-01 is a Friday: 11:30 UTC on 2026-12-31 is already Friday 00:30 in Auckland (UTC+13)
    // and 01:30 in Kiritimati (UTC+14), still Thursday in Tokyo and UTC.
    const newYear = [inDeviceZone({ days: ['fri'], start: '00:00', end: '03:00' })];
    const zones = ['UTC', 'Asia/Tokyo', 'Pacific/Auckland', 'Pacific/Kiritimati'];
    expect(openTimeZones(newYear, zones, at('2026-12-31T11:30:00Z'))).toEqual(['Pacific/Auckland', 'Pacific/Kiritimati']);
    expect(openTimeZones(newYear, zones, at('2026-12-31T15:30:00Z'))).toEqual(['Asia/Tokyo']);
    // Monday 23:00 to Tuesday 01:00: 00:30 UTC on 2026-12-01 (Tuesday) is Monday 30 November's window in UTC,
    // Monday 16:30 in Los Angeles.
    const monday = [inDeviceZone({ days: ['mon'], start: '23:00', end: '01:00' })];
    expect(openTimeZones(monday, ['UTC', 'America/Los_Angeles'], at('2026-12-01T00:30:00Z'))).toEqual(['UTC']);
  });

  it('mixes fixed-zone and device windows: any open window lets a device start', () => {
    const windows: MaintenanceWindow[] = [{ start: '02:00', end: '04:00', timeZone: 'UTC' }, inDeviceZone({ start: '02:00', end: '04:00' })];
    expect(hasDeviceZoneWindows(windows)).toBe(true);
    expect(hasDeviceZoneWindows([windows[0]])).toBe(false);
    expect(openTimeZones(windows, ['UTC', 'Europe/Berlin'], at('2026-12-05T02:30:00Z'))).toBeNull();
    expect(openTimeZones(windows, ['UTC', 'Europe/Berlin'], at('2026-12-05T01:30:00Z'))).toEqual(['Europe/Berlin']);
  });

  it('judges a zone the runtime does not know as UTC', () => {
    const night = [inDeviceZone({ start: '02:00', end: '04:00' })];
    expect(openTimeZones(night, ['Mars/Olympus'], at('2026-12-05T02:30:00Z'))).toEqual(['Mars/Olympus']);
    expect(openTimeZones(night, ['Mars/Olympus'], at('2026-12-05T12:00:00Z'))).toEqual([]);
  });
});
