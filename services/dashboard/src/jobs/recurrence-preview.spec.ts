import { beforeAll, describe, expect, it } from 'vitest';
import { CronReader, formatRunTime, hasSeconds, loadCronReader, upcomingRuns } from './recurrence-preview';

let read: CronReader;
beforeAll(async () => {
  read = await loadCronReader();
});

const from = new Date('2026-12-05T10:00:00Z');
const iso = (result: ReturnType<typeof upcomingRuns>) => (result.ok ? result.runs.map((run) => run.toISOString()) : result.message);

describe('the next runs the New job form shows', () => {
  it('lists the next runs, strictly after the start, in the zone', () => {
    expect(iso(upcomingRuns({ cron: '0 2 * * *', timeZone: 'Europe/Berlin' }, from, 3, read))).toEqual([
      '2026-12-06T01:00:00.000Z',
      '2026-12-07T01:00:00.000Z',
      '2026-12-08T01:00:00.000Z',
    ]);
    expect(iso(upcomingRuns({ cron: '*/5 * * * * *', timeZone: 'UTC' }, from, 2, read))).toEqual(['2026-12-05T10:00:05.000Z', '2026-12-05T10:00:10.000Z']);
  });

  it('stops at the count and at the end', () => {
    expect(iso(upcomingRuns({ cron: '0 * * * *', timeZone: 'UTC', count: 2 }, from, 5, read))).toEqual(['2026-12-05T11:00:00.000Z', '2026-12-05T12:00:00.000Z']);
    expect(iso(upcomingRuns({ cron: '0 * * * *', timeZone: 'UTC', endAt: '2026-12-05T11:30:00Z' }, from, 5, read))).toEqual(['2026-12-05T11:00:00.000Z']);
    expect(iso(upcomingRuns({ cron: '0 * * * *', timeZone: 'UTC', endAt: '2026-12-05T10:30:00Z' }, from, 5, read))).toEqual([]);
  });

  it('says why an expression cannot be read', () => {
    const result = upcomingRuns({ cron: '0 2 * * mon-fryday', timeZone: 'UTC' }, from, 3, read);
    expect(result.ok).toBe(false);
  });

  it('shows seconds only for a six-field expression, in the schedule zone', () => {
    expect(hasSeconds('*/5 * * * * *')).toBe(true);
    expect(hasSeconds('0 2 * * *')).toBe(false);
    const run = new Date('2026-12-06T01:00:05Z');
    expect(formatRunTime(run, 'Europe/Berlin', true)).toMatch(/02:00:05/);
    expect(formatRunTime(run, 'UTC', false)).toMatch(/01:00/);
    expect(formatRunTime(run, 'UTC', false)).not.toMatch(/01:00:05/);
  });
});
