import { fromWireMessage, makeEnvelope, toWireMessage } from '@fleetjobs/contracts';
import type { ConsumedMessage } from '../../event-log.port';
import { partitionForKey } from '../murmur2-partitioner';
import { EventLogHarness, message, offsetsByPartition, range, recorder, valuesByKey } from './event-log-harness';
import { deferred, waitFor } from './wait-for';

/** Ordering, at-least-once delivery and positions across restarts and crashes. */
export function deliveryScenarios(h: EventLogHarness): void {
  it('delivers every message to a group in order per key, with dense offsets per partition', async () => {
    const log = h.newLog();
    const topic = h.unique('orders');
    await log.ensureTopics([topic], 8);
    const keys = range(300).map((i) => `job-${i}`);
    for (let round = 0; round < 10; round += 1) {
      await log.publish(keys.map((key) => message(topic, key, String(round), { round: String(round) })));
    }
    const r = recorder();
    const subscription = await log.subscribe({ groupId: h.unique('g'), topics: [topic], handleBatch: r.handleBatch, maxBatchSize: 100 });
    await waitFor('all 3000 messages', () => r.seen.length >= 3000);
    await waitFor('no lag', async () => (await subscription.lag()) === 0);

    expect(r.seen).toHaveLength(3000);
    const byKey = valuesByKey(r.seen);
    for (const key of keys) expect([key, byKey.get(key)]).toEqual([key, range(10).map(String)]);
    const byPartition = offsetsByPartition(r.seen);
    expect(byPartition.size).toBe(8);
    for (const [partition, offsets] of byPartition) expect([partition, offsets]).toEqual([partition, range(offsets.length)]);
    for (const m of r.seen) expect([m.key, m.partition]).toEqual([m.key, partitionForKey(m.key, 8)]);
    expect(r.seen.find((m) => m.key === 'job-7' && m.value === '3')).toMatchObject({ topic, headers: { round: '3' } });
    expect(h.errors).toEqual([]);
  });

  it("hands an event's CloudEvents headers over as published, the actor who sent its command included", async () => {
    const log = h.newLog();
    const topic = h.unique('jobs');
    await log.ensureTopics([topic], 2);
    const actor = { id: 'user:5e1f', name: 'Zoë Ødegård', role: 'operator' as const, address: '192.0.2.10' };
    const sent = makeEnvelope({ type: 'JobStopped', version: 1, source: '/test', subject: 'job-1', data: { jobId: 'job-1' }, correlationId: 'req-1', actor, now: new Date() });
    await log.publish([toWireMessage(topic, sent)]);
    const r = recorder();
    await log.subscribe({ groupId: h.unique('g'), topics: [topic], handleBatch: r.handleBatch });
    await waitFor('the event', () => r.seen.length >= 1);

    expect(r.seen[0].headers).toEqual(toWireMessage(topic, sent).headers);
    expect(fromWireMessage(r.seen[0])).toEqual(sent);
    expect(h.errors).toEqual([]);
  });

  it('delivers a failed batch again and commits it only once its handler succeeds', async () => {
    const log = h.newLog();
    const topic = h.unique('retries');
    const groupId = h.unique('g');
    await log.ensureTopics([topic], 1);
    await log.publish(range(5).map((i) => message(topic, 'device-1', String(i))));
    const attempts: string[][] = [];
    let healthy = false;
    const subscription = await log.subscribe({
      groupId,
      topics: [topic],
      handleBatch: async (batch) => {
        attempts.push(batch.map((m) => m.offset));
        if (!healthy) throw new Error('handler down');
      },
    });
    await waitFor('three failed attempts', () => attempts.length >= 3);
    expect(await subscription.lag()).toBe(5);
    healthy = true;
    await waitFor('no lag', async () => (await subscription.lag()) === 0);
    await subscription.stop();

    for (const attempt of attempts) expect(attempt).toEqual(['0', '1', '2', '3', '4']);
    expect(h.errors).toHaveLength(attempts.length - 1);
    expect(h.errors[0]).toEqual(new Error('handler down'));

    await log.publish([message(topic, 'device-1', '5')]);
    const again = recorder();
    const resumed = await log.subscribe({ groupId, topics: [topic], handleBatch: again.handleBatch });
    await waitFor('the new message', () => again.seen.length >= 1);
    await waitFor('no lag', async () => (await resumed.lag()) === 0);
    expect(again.seen.map((m) => m.offset)).toEqual(['5']);
  });

  it('resumes after a restart from the committed positions: nothing lost, nothing committed delivered again', async () => {
    const topic = h.unique('restart');
    const groupId = h.unique('g');
    const before = h.newLog();
    await before.publish(range(300).map((i) => message(topic, `k${i % 7}`, String(i))));
    const first = recorder();
    const gate = deferred();
    const subscription = await before.subscribe({
      groupId,
      topics: [topic],
      maxBatchSize: 10,
      handleBatch: async (batch) => {
        if (first.seen.length >= 50) await gate.promise;
        await first.handleBatch(batch);
      },
    });
    await waitFor('some messages handled', () => first.seen.length >= 50);
    const stopping = subscription.stop();
    gate.resolve();
    await stopping;
    const handledBeforeStop = first.seen.length;
    await h.closeLogs();
    await h.db.reopen();

    const after = h.newLog();
    await after.publish(range(100, 300).map((i) => message(topic, `k${i % 7}`, String(i))));
    const second = recorder();
    const resumed = await after.subscribe({ groupId, topics: [topic], handleBatch: second.handleBatch });
    await waitFor('the rest handled', async () => (await resumed.lag()) === 0);

    expect(first.seen).toHaveLength(handledBeforeStop);
    expect(handledBeforeStop).toBeLessThan(300);
    const firstValues = new Set(first.seen.map((m) => m.value));
    expect(second.seen.filter((m) => firstValues.has(m.value))).toEqual([]);
    const all = [...first.seen, ...second.seen];
    expect(all.map((m) => Number(m.value)).sort((a, b) => a - b)).toEqual(range(400));
    for (const [key, values] of valuesByKey(all)) {
      expect([key, values.map(Number)]).toEqual([key, [...values.map(Number)].sort((a, b) => a - b)]);
    }
  });

  it('delivers again, after the process died, a batch whose handler was still running', async () => {
    const topic = h.unique('crash');
    const groupId = h.unique('g');
    const dying = h.newLog();
    await dying.ensureTopics([topic], 2);
    await dying.publish(range(10).map((i) => message(topic, 'device-1', String(i))));
    const hang = deferred();
    const seenBeforeDeath: ConsumedMessage[] = [];
    const dyingSubscription = await dying.subscribe({
      groupId,
      topics: [topic],
      handleBatch: async (batch) => {
        seenBeforeDeath.push(...batch);
        await hang.promise;
      },
    });
    try {
      await waitFor('the handler to start', () => seenBeforeDeath.length === 10);

      await h.db.reopen();
      const reborn = h.newLog();
      const r = recorder();
      const subscription = await reborn.subscribe({ groupId, topics: [topic], handleBatch: r.handleBatch });
      await waitFor('the batch again', () => r.seen.length >= 10);
      await waitFor('no lag', async () => (await subscription.lag()) === 0);
      expect(r.seen.map(({ partition, offset, value }) => ({ partition, offset, value }))).toEqual(
        seenBeforeDeath.map(({ partition, offset, value }) => ({ partition, offset, value })),
      );

      await waitFor('the dead member to report its loop stopped', () => !dyingSubscription.isRunning());
      hang.resolve();
      await waitFor('the dead member to give up its late commit', () => h.errors.length >= 2);
      expect(await subscription.lag()).toBe(0);
    } finally {
      hang.resolve();
    }
    await dyingSubscription.stop();
  });
}
