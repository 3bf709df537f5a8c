import { fromWireMessage, WireMessage } from '@fleetjobs/contracts';
import { ensureKafkaBrokers } from '@fleetjobs/testing';
import { ConsumedMessage, Subscription } from '../event-log.port';
import { brokerAdmin, gate, jobEvent, recorder, sequenceOf, unique, waitFor } from './__fixtures__/kafka-test-kit';
import { KafkaEventLog, KafkaEventLogOptions } from './kafka-event-log.adapter';

// Against the real broker: KAFKA_BROKERS, or the local one from deploy/local/kafka/kafka.sh.
describe('KafkaEventLog', () => {
  let brokers: string[];
  let log: KafkaEventLog;
  let admin: ReturnType<typeof brokerAdmin>;
  const topicsCreated: string[] = [];
  const subscriptions: Subscription[] = [];

  const options = (): KafkaEventLogOptions => ({
    brokers,
    clientId: 'kafka-event-log-int-spec',
    logLevel: 'nothing',
    consumer: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 300, rebalanceTimeoutMs: 6_000, maxWaitTimeMs: 200, stopGraceMs: 300 },
  });

  async function newTopic(partitions: number): Promise<string> {
    const topic = unique('int-spec');
    topicsCreated.push(topic);
    await log.ensureTopics([topic], partitions);
    return topic;
  }

  async function subscribe(...args: Parameters<KafkaEventLog['subscribe']>): Promise<Subscription> {
    const subscription = await log.subscribe(...args);
    subscriptions.push(subscription);
    return subscription;
  }

  beforeAll(async () => {
    brokers = await ensureKafkaBrokers();
    log = new KafkaEventLog(options());
    admin = brokerAdmin(brokers);
  }, 240_000);

  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
  });

  afterAll(async () => {
    await log?.close();
    await admin?.deleteTopics(topicsCreated);
    await admin?.close();
  });

  it('answers ping, and creates topics once even when two logs race to create them', async () => {
    expect(await log.ping()).toBe(true);
    const topic = unique('int-spec-race');
    topicsCreated.push(topic);
    const other = new KafkaEventLog(options());
    try {
      await Promise.all([log.ensureTopics([topic], 3), other.ensureTopics([topic], 3), log.ensureTopics([topic], 3)]);
      await log.ensureTopics([topic], 5);
    } finally {
      await other.close();
    }
    expect(await admin.partitionCount(topic)).toBe(3);
  });

  it('answers false to ping when no broker listens', async () => {
    const nowhere = new KafkaEventLog({ ...options(), brokers: ['127.0.0.1:1'] });
    try {
      expect(await nowhere.ping()).toBe(false);
    } finally {
      await nowhere.close();
    }
  });

  it('delivers every message with its key, headers and value, in order per key across partitions and calls', async () => {
    const topic = await newTopic(4);
    const jobs = ['job-a', 'job-b', 'job-c', 'job-d', 'job-e', 'job-f'];
    const sent: WireMessage[] = [];
    for (let call = 0; call < 3; call++) {
      const messages = [];
      for (let i = 0; i < 10; i++) for (const job of jobs) messages.push(jobEvent(topic, job, call * 10 + i));
      sent.push(...messages);
      await log.publish(messages);
    }
    const received = recorder();
    const subscription = await subscribe({ groupId: unique('order'), topics: [topic], handleBatch: received.handleBatch, maxBatchSize: 7 });
    expect(subscription.isRunning()).toBe(true);

    await waitFor('all 180 messages', () => received.seen.length >= sent.length);
    expect(received.seen).toHaveLength(sent.length);

    const partitionsOfJob = new Map<string, Set<number>>();
    for (const job of jobs) {
      const ofJob = received.seen.filter((m) => m.key === job);
      expect(ofJob.map(sequenceOf)).toEqual(Array.from({ length: 30 }, (_, i) => i));
      partitionsOfJob.set(job, new Set(ofJob.map((m) => m.partition)));
    }
    for (const partitions of partitionsOfJob.values()) expect(partitions.size).toBe(1);
    expect(new Set([...partitionsOfJob.values()].map((p) => [...p][0])).size).toBeGreaterThan(1);

    for (const batch of received.batches) {
      expect(batch.length).toBeLessThanOrEqual(7);
      expect(new Set(batch.map((m) => m.partition)).size).toBe(1);
      const offsets = batch.map((m) => BigInt(m.offset));
      expect(offsets).toEqual([...offsets].sort((a, b) => (a < b ? -1 : 1)));
    }

    const byId = new Map(received.seen.map((m) => [fromWireMessage(m)!.id, m]));
    for (const message of sent) {
      const got = byId.get(fromWireMessage(message)!.id)!;
      expect({ topic: got.topic, key: got.key, headers: got.headers, value: got.value }).toEqual(message);
      expect(got.offset).toMatch(/^\d+$/);
    }
    await waitFor('everything committed', async () => (await subscription.lag()) === 0);
  });

  it('sends through the record encoder that stands in for kafkajs’s, text beyond ASCII and large values intact', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect((require('kafkajs/src/protocol/recordBatch/record/v0') as { fast?: true }).fast).toBe(true);
    const topic = await newTopic(1);
    const sent: WireMessage[] = [
      { topic, key: 'gerät-1', headers: { ce_type: 'DeviceSucceeded', ce_actorname: 'Zoë Ünal ☃' }, value: JSON.stringify({ name: 'Kühlschrank 🚚' }) },
      { topic, key: 'job-big', headers: { ce_type: 'JobTargetsResolved' }, value: JSON.stringify({ devices: 'x'.repeat(300_000) }) },
      { topic, key: 'job-empty', headers: {}, value: '' },
    ];
    await log.publish(sent);
    const received = recorder();
    await subscribe({ groupId: unique('encoder'), topics: [topic], handleBatch: received.handleBatch });
    await waitFor('the three messages', () => received.seen.length >= sent.length);
    expect(received.seen.map(({ topic: t, key, headers, value }) => ({ topic: t, key, headers, value }))).toEqual(sent);
  });

  it('delivers the same messages again when the handler fails, and commits only once it succeeds', async () => {
    const topic = await newTopic(1);
    const sent = Array.from({ length: 5 }, (_, i) => jobEvent(topic, 'job-retry', i));
    await log.publish(sent);
    const attempts: ConsumedMessage[][] = [];
    const subscription = await subscribe({
      groupId: unique('retry'),
      topics: [topic],
      handleBatch: async (batch) => {
        attempts.push(batch);
        if (attempts.length === 1) throw new Error('database unavailable');
      },
    });

    await waitFor('a successful second attempt', async () => attempts.length >= 2 && (await subscription.lag()) === 0);
    const offsets = (batch: ConsumedMessage[]) => batch.map((m) => m.offset);
    expect(offsets(attempts[1])).toEqual(offsets(attempts[0]));
    expect(attempts[1].map(sequenceOf)).toEqual([0, 1, 2, 3, 4]);
    expect(attempts).toHaveLength(2);
  });

  it('redelivers to the next member what a stopped member had not committed, and nothing it had', async () => {
    const topic = await newTopic(1);
    const groupId = unique('handover');
    const first = recorder();
    const held = gate();
    let holding = false;
    const member = await subscribe({
      groupId,
      topics: [topic],
      handleBatch: async (batch) => {
        if (holding) return held.promise;
        await first.handleBatch(batch);
      },
    });
    await log.publish([0, 1, 2].map((i) => jobEvent(topic, 'job-h', i)));
    await waitFor('the first three committed', async () => first.seen.length === 3 && (await member.lag()) === 0);

    holding = true;
    await log.publish([3, 4, 5, 6].map((i) => jobEvent(topic, 'job-h', i)));
    await waitFor('four messages uncommitted behind the held handler', async () => (await member.lag()) === 4);
    await member.stop();
    expect(member.isRunning()).toBe(false);
    expect(await member.lag()).toBe(4);

    const second = recorder();
    const successor = await subscribe({ groupId, topics: [topic], handleBatch: second.handleBatch });
    await waitFor('the successor caught up', async () => second.seen.length >= 4 && (await successor.lag()) === 0);
    expect(second.seen.map(sequenceOf)).toEqual([3, 4, 5, 6]);
    held.open();
  });

  it('resumes a group at its committed positions after a restart', async () => {
    const topic = await newTopic(3);
    const groupId = unique('restart');
    const before = recorder();
    const firstRun = await subscribe({ groupId, topics: [topic], handleBatch: before.handleBatch });
    await log.publish(Array.from({ length: 9 }, (_, i) => jobEvent(topic, `job-${i % 3}`, i)));
    await waitFor('nine consumed and committed', async () => before.seen.length >= 9 && (await firstRun.lag()) === 0);
    await firstRun.stop();

    await log.publish(Array.from({ length: 6 }, (_, i) => jobEvent(topic, `job-${i % 3}`, 100 + i)));
    const after = recorder();
    const secondRun = await subscribe({ groupId, topics: [topic], handleBatch: after.handleBatch });
    await waitFor('six consumed and committed', async () => after.seen.length >= 6 && (await secondRun.lag()) === 0);
    expect(after.seen.map(sequenceOf).sort((a, b) => a - b)).toEqual([100, 101, 102, 103, 104, 105]);
    expect(before.seen).toHaveLength(9);
  });

  it('after a batch that emptied its partition, fetches what arrived while it lingered in one batch', async () => {
    const lingering = new KafkaEventLog({ ...options(), consumer: { ...options().consumer, batchLingerMs: 3_000 } });
    try {
      const topic = await newTopic(1);
      const batches: number[][] = [];
      const first = gate();
      const subscription = await lingering.subscribe({
        groupId: unique('linger'),
        topics: [topic],
        handleBatch: async (batch) => {
          batches.push(batch.map(sequenceOf));
          first.open();
        },
      });
      await lingering.publish([jobEvent(topic, 'job-l', 0)]);
      await first.promise;
      // One at a time, each acknowledged: a member fetching again at once would take them in several batches.
      for (let i = 1; i <= 5; i++) await lingering.publish([jobEvent(topic, 'job-l', i)]);
      await waitFor('all six handled and committed', async () => batches.flat().length === 6 && (await subscription.lag()) === 0);
      expect(batches).toEqual([[0], [1, 2, 3, 4, 5]]);
    } finally {
      await lingering.close();
    }
  });

  it('reports as lag what the group has not committed, and reflects the member state', async () => {
    const topic = await newTopic(2);
    await log.publish(Array.from({ length: 10 }, (_, i) => jobEvent(topic, `job-${i % 4}`, i)));
    const held = gate();
    let calls = 0;
    const subscription = await subscribe({
      groupId: unique('lag'),
      topics: [topic],
      handleBatch: async () => {
        calls++;
        await held.promise;
      },
    });
    expect(subscription.isRunning()).toBe(true);
    await waitFor('the handler holds a batch', () => calls > 0);
    expect(await subscription.lag()).toBe(10);

    held.open();
    await waitFor('lag drops to zero', async () => (await subscription.lag()) === 0);
    await subscription.stop();
    expect(subscription.isRunning()).toBe(false);
  });
});
