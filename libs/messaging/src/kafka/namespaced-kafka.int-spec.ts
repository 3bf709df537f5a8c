import { randomBytes } from 'node:crypto';
import { ensureKafkaBrokers, waitFor } from '@fleetjobs/testing';
import { ConsumedMessage, Subscription } from '../event-log.port';
import { NamespacedEventLog } from '../namespaced-event-log';
import { KafkaEventLog } from './kafka-event-log.adapter';

describe('two namespaces on one Kafka broker', () => {
  let kafka: KafkaEventLog;
  const subscriptions: Subscription[] = [];

  beforeAll(async () => {
    kafka = new KafkaEventLog({ brokers: await ensureKafkaBrokers(), clientId: 'namespace-test' });
  });

  afterAll(async () => {
    await Promise.all(subscriptions.map((subscription) => subscription.stop()));
    await kafka.close();
  });

  it('keep their events apart and hand handlers the contract topic names', async () => {
    const suffix = randomBytes(4).toString('hex');
    const blue = new NamespacedEventLog(kafka, `blue-${suffix}`);
    const green = new NamespacedEventLog(kafka, `green-${suffix}`);
    const seen: Record<'blue' | 'green', ConsumedMessage[]> = { blue: [], green: [] };
    for (const [name, log] of [['blue', blue], ['green', green]] as const) {
      await log.ensureTopics(['fleetjobs.jobs', 'fleetjobs.jobs.lifecycle'], 2);
      subscriptions.push(
        await log.subscribe({ groupId: 'projection', topics: ['fleetjobs.jobs'], handleBatch: async (batch) => void seen[name].push(...batch) }),
      );
    }
    await blue.publish([{ topic: 'fleetjobs.jobs', key: 'job-1', headers: { ce_type: 'JobCreated' }, value: '{"n":"blue"}' }]);
    await green.publish([
      { topic: 'fleetjobs.jobs', key: 'job-1', headers: { ce_type: 'JobCreated' }, value: '{"n":"green"}' },
      { topic: 'fleetjobs.jobs', key: 'job-2', headers: { ce_type: 'JobCreated' }, value: '{"n":"green"}' },
    ]);
    await waitFor('both namespaces to consume', () => seen.blue.length >= 1 && seen.green.length >= 2, 30_000);
    expect(seen.blue.map((message) => message.value)).toEqual(['{"n":"blue"}']);
    expect(seen.green.map((message) => message.value)).toEqual(['{"n":"green"}', '{"n":"green"}']);
    expect([...seen.blue, ...seen.green].every((message) => message.topic === 'fleetjobs.jobs')).toBe(true);
  });
});
