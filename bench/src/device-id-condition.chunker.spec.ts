import { deviceIdConditions } from './device-id-condition.chunker';

describe('device id conditions for hub jobs', () => {
  it('names every device once, each query within the limit', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `bench-dev-${String(i).padStart(6, '0')}`);
    const conditions = deviceIdConditions(ids);
    for (const condition of conditions) expect(`SELECT * FROM devices WHERE ${condition}`.length).toBeLessThanOrEqual(8192);
    const named = conditions.flatMap((condition) => [...condition.matchAll(/'([^']+)'/g)].map((match) => match[1]));
    expect(named).toEqual(ids);
    // 20 characters a device: about 400 devices a job.
    expect(conditions).toHaveLength(3);
    expect(`SELECT * FROM devices WHERE ${conditions[0]}`.length).toBeGreaterThan(8192 - 20);
  });

  it('quotes ids as the query language wants and refuses one that fits no query', () => {
    expect(deviceIdConditions(["o'k"])).toEqual(["deviceId IN ['o''k']"]);
    expect(() => deviceIdConditions(['x'.repeat(9000)])).toThrow(/too long/);
    expect(deviceIdConditions([])).toEqual([]);
  });
});
