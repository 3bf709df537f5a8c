import { RequestTally } from './request-tally';

describe('RequestTally', () => {
  it('counts served and throttled requests per second of arrival, oldest first', () => {
    const tally = new RequestTally();
    tally.count(2_000_500, false);
    tally.count(2_000_999, true);
    tally.count(1_999_999, false);
    tally.count(2_000_000, false);

    expect(tally.since()).toEqual([
      { second: new Date(1_999_000).toISOString(), accepted: 1, throttled: 0 },
      { second: new Date(2_000_000).toISOString(), accepted: 2, throttled: 1 },
    ]);
    expect(tally.since(2_000_400)).toEqual([{ second: new Date(2_000_000).toISOString(), accepted: 2, throttled: 1 }]);
  });

  it('forgets seconds older than it keeps', () => {
    const tally = new RequestTally(3);
    for (const second of [10, 11, 12, 13, 14]) tally.count(second * 1000, false);

    expect(tally.since().map((entry) => Date.parse(entry.second) / 1000)).toEqual([12, 13, 14]);
  });
});
