import { describe, expect, it } from 'vitest';
import { describeWindows } from './window-text';

describe('describeWindows', () => {
  it('reads each window with its days, times and zone, a device-zone window in the device\'s local time', () => {
    expect(
      describeWindows([
        { days: ['sat', 'sun'], start: '22:00', end: '04:00', timeZone: 'Europe/Berlin' },
        { start: '01:00', end: '02:00', timeZone: 'device' },
      ]),
    ).toBe("sat, sun 22:00–04:00 Europe/Berlin; every day 01:00–02:00 each device's local time");
  });
});
