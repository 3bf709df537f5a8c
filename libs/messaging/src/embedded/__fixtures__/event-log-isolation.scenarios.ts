import type { ConsumedMessage } from '../../event-log.port';
import { partitionForKey } from '../murmur2-partitioner';
import { EventLogHarness, message, offsetsByPartition, range, recorder, valuesByKey } from './event-log-harness';
import { deferred, waitFor } from './wait-for';

/** A key that the default partitioner puts on `partition`. */
function keyOnPartition(partition: number, partitions: number, prefix: string): string {
  for (let n = 0; ; n += 1) if (partitionForKey(`${prefix}-${n}`, partitions) === partition) return `${prefix}-${n}`;
}

/** Concurrent publishers, partitions that do not wait for each other, group ownership, retention. */
export function isolationScenarios(h: EventLogHarness): void {
  it('keeps per-key order and dense offsets when many tasks publish at once', async () => {
    const one = h.newLog();
    const other = h.newLog();
    const topic = h.unique('concurrent');
    await one.ensureTopics([topic], 4);
    await Promise.all(
      range(8).map(async (task) => {
        for (let i = 0; i < 40; i += 1) {
          const log = (task + i) % 2 === 0 ? one : other;
          await log.publish([message(topic, `t${task}-a`, String(i)), message(topic, `t${task}-b`, String(i))]);
        }
      }),
    );
    const r = recorder();
    const subscription = await one.subscribe({ groupId: h.unique('g'), topics: [topic], handleBatch: r.handleBatch });
    await waitFor('all 640 messages', async () => r.seen.length >= 640 && (await subscription.lag()) === 0);

    expect(r.seen).toHaveLength(640);
    for (const [key, values] of valuesByKey(r.seen)) expect([key, values]).toEqual([key, range(40).map(String)]);
    for (const [partition, offsets] of offsetsByPartition(r.seen)) {
      expect([partition, offsets]).toEqual([partition, range(offsets.length)]);
    }
    expect(h.errors).toEqual([]);
  });

  it('keeps delivering the other partitions while one handler hangs and another keeps failing', async () => {
    const log = h.newLog({ partitionConcurrency: 4 });
    const topic = h.unique('isolation');
    await log.ensureTopics([topic], 8);
    const slowKey = keyOnPartition(0, 8, 'slow');
    const poisonKey = keyOnPartition(1, 8, 'poison');
    const healthyKeys = range(6, 2).map((p) => keyOnPartition(p, 8, 'healthy'));
    await log.publish([
      ...range(3).map((i) => message(topic, slowKey, String(i))),
      ...range(3).map((i) => message(topic, poisonKey, String(i))),
    ]);
    await log.publish(healthyKeys.flatMap((key) => range(5).map((i) => message(topic, key, String(i)))));
    const release = deferred();
    const slowSeen: ConsumedMessage[] = [];
    const r = recorder();
    const subscription = await log.subscribe({
      groupId: h.unique('g'),
      topics: [topic],
      handleBatch: async (batch) => {
        if (batch[0].key === slowKey) {
          slowSeen.push(...batch);
          await release.promise;
        }
        if (batch[0].key === poisonKey) throw new Error('poison message');
        await r.handleBatch(batch);
      },
    });
    try {
      await waitFor('the healthy partitions', () => r.seen.filter((m) => healthyKeys.includes(m.key)).length === 30);
      await waitFor('the poison batch retried', () => h.errors.length >= 2);
      expect(slowSeen.map((m) => m.value)).toEqual(['0', '1', '2']);

      await log.publish(healthyKeys.map((key) => message(topic, key, 'later')));
      await waitFor('messages published while the slow handler still runs', () => r.seen.length === 36);
      await waitFor('only the slow and the poison partitions behind', async () => (await subscription.lag()) === 6);
    } finally {
      release.resolve();
    }
    await waitFor('the slow partition committed', async () => (await subscription.lag()) === 3);
    expect(r.seen.filter((m) => m.key === poisonKey)).toEqual([]);
    expect(h.errors.every((e) => (e as Error).message === 'poison message')).toBe(true);
  });

  it('gives a group one live member per topic', async () => {
    const log = h.newLog();
    const topic = h.unique('owned');
    const groupId = h.unique('g');
    const handleBatch = async () => {};
    const first = await log.subscribe({ groupId, topics: [topic], handleBatch });
    await expect(log.subscribe({ groupId, topics: [h.unique('other'), topic], handleBatch })).rejects.toThrow(
      /already has a live subscription/,
    );
    await expect(h.newLog().subscribe({ groupId, topics: [topic], handleBatch })).rejects.toThrow(
      /already has a live subscription/,
    );
    const otherGroup = await log.subscribe({ groupId: h.unique('g'), topics: [topic], handleBatch });
    expect(otherGroup.isRunning()).toBe(true);

    await first.stop();
    expect(first.isRunning()).toBe(false);
    const next = await log.subscribe({ groupId, topics: [topic], handleBatch });
    expect(next.isRunning()).toBe(true);
  });

  it('trims only messages that every group of the topic has committed and that are old enough', async () => {
    // A schema of its own: trimming covers the whole log, other tests' topics included.
    const schema = h.unique('trim').replace('-', '_');
    const log = h.newLog({ schema });
    const topic = h.unique('trim');
    const unread = h.unique('unread');
    await log.ensureTopics([topic, unread], 1);
    await log.publish(range(20).map((i) => message(topic, 'k', String(i))));
    await log.publish(range(5).map((i) => message(unread, 'k', String(i))));
    const countOf = async (t: string) =>
      Number((await h.db.current().query(`SELECT count(*) AS n FROM "${schema}".messages WHERE topic = $1`, [t]))[0].n);

    const fast = await log.subscribe({ groupId: h.unique('fast'), topics: [topic], handleBatch: async () => {} });
    await waitFor('the fast group caught up', async () => (await fast.lag()) === 0);
    const slowGroup = h.unique('slow');
    let handled = 0;
    const slow = await log.subscribe({
      groupId: slowGroup,
      topics: [topic],
      maxBatchSize: 4,
      handleBatch: async (batch) => {
        if (handled >= 8) throw new Error('slow group paused');
        handled += batch.length;
      },
    });
    await waitFor('the slow group at offset 8', async () => (await slow.lag()) === 12 && h.errors.length > 0);
    await slow.stop();

    expect(await log.trimConsumed(60_000)).toBe(0);
    expect(await log.trimConsumed(0)).toBe(8);
    expect(await countOf(topic)).toBe(12);
    expect(await countOf(unread)).toBe(5);

    const r = recorder();
    const resumed = await log.subscribe({ groupId: slowGroup, topics: [topic], handleBatch: r.handleBatch });
    await waitFor('the slow group caught up', async () => (await resumed.lag()) === 0);
    expect(r.seen.map((m) => m.offset)).toEqual(range(12, 8).map(String));
    expect(await log.trimConsumed(0)).toBe(12);
    expect(await countOf(topic)).toBe(0);
  });

  it('answers pings, keeps a topic partition count, creates unknown topics and refuses use after close', async () => {
    const log = h.newLog({ partitions: 3 });
    const topic = h.unique('admin');
    await log.ensureTopics([topic], 2);
    await log.ensureTopics([topic], 5);
    const implicit = h.unique('implicit');
    await log.publish(range(50).map((i) => message(topic, `k${i}`, 'v')));
    await log.publish(range(50).map((i) => message(implicit, `k${i}`, 'v')));
    const partitionsOf = async (t: string) =>
      (await h.db.current().query('SELECT partitions FROM event_log.topics WHERE name = $1', [t]))[0].partitions;
    expect(await partitionsOf(topic)).toBe(2);
    expect(await partitionsOf(implicit)).toBe(3);
    expect(await log.ping()).toBe(true);
    await log.close();
    await expect(log.publish([message(topic, 'k', 'v')])).rejects.toThrow(/closed/);
  });

  it('moves 20,000 messages through in bounded batches', async () => {
    const log = h.newLog();
    const topic = h.unique('volume');
    await log.ensureTopics([topic], 8);
    for (let start = 0; start < 20_000; start += 500) {
      await log.publish(range(500, start).map((i) => message(topic, `device-${i % 1000}`, String(i))));
    }
    let largest = 0;
    let count = 0;
    const lastByKey = new Map<string, number>();
    let outOfOrder = 0;
    const subscription = await log.subscribe({
      groupId: h.unique('g'),
      topics: [topic],
      handleBatch: async (batch) => {
        largest = Math.max(largest, batch.length);
        count += batch.length;
        for (const m of batch) {
          if ((lastByKey.get(m.key) ?? -1) >= Number(m.value)) outOfOrder += 1;
          lastByKey.set(m.key, Number(m.value));
        }
      },
    });
    await waitFor('all 20,000 handled', async () => count >= 20_000 && (await subscription.lag()) === 0, 60_000);
    expect(count).toBe(20_000);
    expect(outOfOrder).toBe(0);
    expect(largest).toBe(500);
  });
}
