import { murmur2, partitionForKey } from './murmur2-partitioner';

// kafkajs ships the Java client's algorithm; agreeing with it means agreeing with Kafka.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajsMurmur2: (key: string) => number = require('kafkajs/src/producer/partitioners/default/murmur2');

describe('murmur2 partitioner', () => {
  it('hashes exactly like the Kafka client for keys of every tail length and non-ASCII text', () => {
    const keys = ['', 'a', 'ab', 'abc', 'abcd', 'abcde', 'job-1', 'déviçe-ü-42', '😀 fleet', 'x'.repeat(101)];
    for (let i = 0; i < 500; i += 1) keys.push(`${i}-${Math.random().toString(36).slice(2)}`);
    for (const key of keys) expect([key, murmur2(key)]).toEqual([key, kafkajsMurmur2(key)]);
  });

  it('maps known keys to the partitions the Java client picks', () => {
    // Values from org.apache.kafka.common.utils.Utils.murmur2 as published in Kafka's own UtilsTest.
    expect(murmur2('21')).toBe(-973932308);
    expect(murmur2('foobar')).toBe(-790332482);
    expect(murmur2('a-little-bit-long-string')).toBe(-985981536);
    expect(murmur2('a-little-bit-longer-string')).toBe(-1486304829);
    expect(murmur2('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8')).toBe(-58897971);
    expect(murmur2('abc')).toBe(479470107);
  });

  it('keeps a key on one partition in range, spreading keys over all partitions', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i += 1) {
      const p = partitionForKey(`job-${i}`, 8);
      expect(p).toBe(partitionForKey(`job-${i}`, 8));
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(8);
      seen.add(p);
    }
    expect(seen.size).toBe(8);
  });
});
