import { describe, expect, it } from 'vitest';
import { describeEnd, describeRepeat, namedRepeat } from './recurrence-text';

describe('how a recurrence reads', () => {
  it('names every day and every week day at a time, with the zone', () => {
    expect(describeRepeat({ cron: '30 2 * * *', timeZone: 'Europe/Berlin' })).toBe('Every day at 02:30 (Europe/Berlin)');
    expect(describeRepeat({ cron: '5 22 * * 1' })).toBe('Every Monday at 22:05 (UTC)');
    expect(describeRepeat({ cron: '0 6 * * 0', timeZone: 'UTC' })).toBe('Every Sunday at 06:00 (UTC)');
    expect(describeRepeat({ cron: '0 6 * * 7', timeZone: 'UTC' })).toBe('Every Sunday at 06:00 (UTC)');
  });

  it('gives any other expression as it is', () => {
    expect(describeRepeat({ cron: '*/5 * * * * *', timeZone: 'UTC' })).toBe('Cron */5 * * * * * (UTC)');
    expect(describeRepeat({ cron: '0 2 * * 1-5', timeZone: 'UTC' })).toBe('Cron 0 2 * * 1-5 (UTC)');
    expect(describeRepeat({ cron: '0 2 1 * *', timeZone: 'UTC' })).toBe('Cron 0 2 1 * * (UTC)');
    expect(describeRepeat({ cron: '0 24 * * *', timeZone: 'UTC' })).toBe('Cron 0 24 * * * (UTC)');
    expect(namedRepeat('*/20 * * * * *')).toBeNull();
    expect(namedRepeat('0 2 * * 1')).toBe('Every Monday at 02:00');
  });

  it('names its end', () => {
    const time = (iso: string) => `at ${iso}`;
    expect(describeEnd({}, time)).toBe('Never');
    expect(describeEnd({ count: 1 }, time)).toBe('After 1 run');
    expect(describeEnd({ count: 2 }, time)).toBe('After 2 runs');
    expect(describeEnd({ endAt: '2027-01-01T00:00:00.000Z' }, time)).toBe('No run after at 2027-01-01T00:00:00.000Z');
  });
});
