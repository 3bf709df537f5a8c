import { Kafka, logLevel } from 'kafkajs';
import { kafkaClientConfig, KafkaSecurity } from '@fleetjobs/messaging';

/** The cluster the bench measures, reached as the services reach it (same TLS and SASL). */
export interface BenchKafka {
  brokers: string[];
  security?: KafkaSecurity;
}

export interface KafkaFloorResult {
  messages: number;
  /** Value and headers of one message. */
  messageBytes: number;
  seconds: number;
  msgsPerSecond: number;
}

/**
 * Raw kafkajs on the same broker: `messages` messages shaped like a job's device outcome events
 * (a JSON value of ~110 bytes, the eight CloudEvents headers, keyed by one job id, hence one
 * partition as a job's events are) produced with acks from all replicas, in batches of 500 with
 * four in flight, to a topic of its own and consumed by a group of its own; timed from the first
 * send to the last message consumed. Topic and group are deleted after.
 */
export async function runKafkaFloor(options: BenchKafka & { namespace: string; messages: number }): Promise<KafkaFloorResult> {
  const kafka = new Kafka({ ...kafkaClientConfig({ ...options, clientId: 'fleetjobs-bench-floor' }), logLevel: logLevel.NOTHING });
  const name = `${options.namespace}.bench-floor-${Date.now().toString(36)}`;
  const admin = kafka.admin();
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: name, maxWaitTimeInMs: 100 });
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic: name, numPartitions: 8, replicationFactor: 1 }], waitForLeaders: true });
    await Promise.all([producer.connect(), consumer.connect()]);
    await consumer.subscribe({ topics: [name], fromBeginning: true });
    let consumed = 0;
    let allConsumed: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allConsumed = resolve));
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachBatch: async ({ batch }) => {
        consumed += batch.messages.length;
        if (consumed >= options.messages) allConsumed();
      },
    });
    await joined;
    const jobId = `floor-${Date.now().toString(36)}`;
    const message = (index: number) => {
      const deviceId = `bench-${String(index).padStart(7, '0')}`;
      const time = new Date().toISOString();
      return {
        key: jobId,
        value: JSON.stringify({ jobId, deviceId, completedAt: time, attempts: 1 }),
        headers: {
          ce_id: `${jobId}:${deviceId}:outcome`,
          ce_time: time,
          ce_type: 'DeviceSucceeded',
          ce_source: '/fleetjobs/dispatcher',
          ce_subject: jobId,
          'content-type': 'application/json',
          ce_specversion: '1.0',
          ce_eventversion: '1',
        },
      };
    };
    const sample = message(0);
    const messageBytes =
      Buffer.byteLength(sample.value) + Object.entries(sample.headers).reduce((sum, [key, value]) => sum + key.length + value.length, 0);
    const started = process.hrtime.bigint();
    let sent = 0;
    const sender = async () => {
      while (sent < options.messages) {
        const from = sent;
        const count = Math.min(500, options.messages - from);
        sent += count;
        await producer.send({ topic: name, acks: -1, messages: Array.from({ length: count }, (_, offset) => message(from + offset)) });
      }
    };
    await Promise.all(Array.from({ length: 4 }, sender));
    const patienceMs = Math.max(60_000, options.messages);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      done,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`kafkajs floor: ${consumed} of ${options.messages} messages consumed after ${patienceMs} ms`)), patienceMs);
      }),
    ]).finally(() => clearTimeout(timer));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { messages: options.messages, messageBytes, seconds, msgsPerSecond: options.messages / seconds };
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await admin.deleteTopics({ topics: [name] }).catch(() => undefined);
    await admin.deleteGroups([name]).catch(() => undefined);
    await admin.disconnect();
  }
}

/** Sum of a topic's high watermarks: the messages ever written to it (0 when it does not exist). */
export async function topicEndOffsetSum(cluster: BenchKafka, topic: string): Promise<number> {
  const admin = new Kafka({ ...kafkaClientConfig({ ...cluster, clientId: 'fleetjobs-bench-offsets' }), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) return 0;
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, { high }) => sum + Number(high), 0);
  } finally {
    await admin.disconnect();
  }
}
