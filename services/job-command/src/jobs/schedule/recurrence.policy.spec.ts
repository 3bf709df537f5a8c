import { occurrenceAfter, recurrenceProblems, upcomingRuns } from './recurrence.policy';

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());
const now = new Date('2026-12-05T10:00:00Z');

describe('a recurrence', () => {
  describe('its runs', () => {
    it('weekly, in a zone: Mondays at 02:00 Berlin time, winter (UTC+1)', () => {
      expect(iso(upcomingRuns({ cron: '0 2 * * 1', timeZone: 'Europe/Berlin' }, now, 2))).toEqual(['2026-12-07T01:00:00.000Z', '2026-12-14T01:00:00.000Z']);
    });

    it('daily across the night the clocks go forward: the skipped 02:30 runs once, an hour on (03:30), then 02:30 in summer time', () => {
      expect(iso(upcomingRuns({ cron: '30 2 * * *', timeZone: 'Europe/Berlin' }, new Date('2026-03-27T12:00:00Z'), 4))).toEqual([
        '2026-03-28T01:30:00.000Z',
        '2026-03-29T01:30:00.000Z',
        '2026-03-30T00:30:00.000Z',
        '2026-03-31T00:30:00.000Z',
      ]);
    });

    it('daily across the night the clocks go back: the repeated 02:30 runs once', () => {
      const runs = iso(upcomingRuns({ cron: '30 2 * * *', timeZone: 'Europe/Berlin' }, new Date('2026-10-24T12:00:00Z'), 3));
      expect(runs[0]).toBe('2026-10-25T00:30:00.000Z');
      expect(runs.filter((run) => run.startsWith('2026-10-25'))).toHaveLength(1);
      expect(runs[1]).toBe('2026-10-26T01:30:00.000Z');
    });

    it('on the 31st skips the months without one; on the last day (L) takes each month end, February included', () => {
      expect(iso(upcomingRuns({ cron: '0 12 31 * *' }, new Date('2027-01-01T00:00:00Z'), 3))).toEqual([
        '2027-01-31T12:00:00.000Z',
        '2027-03-31T12:00:00.000Z',
        '2027-05-31T12:00:00.000Z',
      ]);
      expect(iso(upcomingRuns({ cron: '0 12 L * *' }, new Date('2028-01-01T00:00:00Z'), 3))).toEqual([
        '2028-01-31T12:00:00.000Z',
        '2028-02-29T12:00:00.000Z',
        '2028-03-31T12:00:00.000Z',
      ]);
    });

    it('with seconds (6 fields): every 5 s', () => {
      expect(iso(upcomingRuns({ cron: '*/5 * * * * *' }, new Date('2026-12-05T10:00:02Z'), 2))).toEqual(['2026-12-05T10:00:05.000Z', '2026-12-05T10:00:10.000Z']);
    });

    it('ends after its count of runs', () => {
      expect(upcomingRuns({ cron: '0 2 * * *', count: 3 }, now, 10)).toHaveLength(3);
      expect(occurrenceAfter({ cron: '0 2 * * *', count: 3 }, now, 3)).toBeNull();
    });

    it('ends at its end time: a run at the end time still runs, none after', () => {
      const recurrence = { cron: '0 2 * * *', endAt: '2026-12-08T02:00:00Z' };
      expect(iso(upcomingRuns(recurrence, now, 10))).toEqual(['2026-12-06T02:00:00.000Z', '2026-12-07T02:00:00.000Z', '2026-12-08T02:00:00.000Z']);
    });
  });

  describe('its problems, each naming its field', () => {
    const fields = (recurrence: Parameters<typeof recurrenceProblems>[0]) => recurrenceProblems(recurrence, now).map((problem) => problem.field);

    it('none for a good one', () => {
      expect(fields({ cron: '0 2 * * 1', timeZone: 'Europe/Berlin', count: 4 })).toEqual([]);
    });

    it('a bad cron expression', () => {
      expect(fields({ cron: '61 * * * *' })).toEqual(['schedule.recurrence.cron']);
      expect(fields({ cron: 'every monday' })).toEqual(['schedule.recurrence.cron']);
    });

    it('an unknown time zone', () => {
      expect(fields({ cron: '0 2 * * 1', timeZone: 'Mars/Olympus' })).toEqual(['schedule.recurrence.timeZone']);
    });

    it('both an end time and a count, an end in the past, a count below one', () => {
      expect(fields({ cron: '0 2 * * 1', endAt: '2027-01-01T00:00:00Z', count: 4 })).toEqual(['schedule.recurrence.count']);
      expect(fields({ cron: '0 2 * * 1', endAt: '2026-01-01T00:00:00Z' })).toEqual(['schedule.recurrence.endAt']);
      expect(fields({ cron: '0 2 * * 1', count: 0 })).toEqual(['schedule.recurrence.count']);
    });
  });
});
