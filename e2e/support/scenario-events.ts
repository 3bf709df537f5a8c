import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { IHeaders, Kafka, logLevel } from 'kafkajs';
import { ALL_TOPICS } from '@fleetjobs/contracts';
import { createPgliteDataSource } from '@fleetjobs/persistence-pg';
import { ConsumedMessage } from '@fleetjobs/testing';
import { eventually } from './fleetjobs.client';

/** A consumed message and where it sat in its partition: the order a consumer of its key sees. */
export interface PositionedMessage extends ConsumedMessage {
  partition: number;
  offset: bigint;
}

/**
 * The product's topics on Kafka, read from the beginning by a consumer group of the test's own,
 * keeping the messages whose key `keep` accepts. It reads on in the background; `until` waits
 * for a condition over what was kept, then for the topics' ends as they are at that moment.
 */
export class KafkaTopicsReader {
  readonly kept: PositionedMessage[] = [];
  private readonly read = new Map<string, bigint>();

  private constructor(
    private readonly kafka: Kafka,
    private readonly consumer: ReturnType<Kafka['consumer']>,
    private readonly groupId: string,
    private readonly prefix: string,
  ) {}

  /** `namespace`: the deployment's topic prefix (`<namespace>.fleetjobs.jobs`), as its KAFKA_NAMESPACE. */
  static async start(brokers: string[], namespace: string, keep: (key: string) => boolean): Promise<KafkaTopicsReader> {
    const kafka = new Kafka({ clientId: 'events-conformance', brokers, logLevel: logLevel.NOTHING });
    const groupId = `events-conformance-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
    const consumer = kafka.consumer({ groupId });
    const reader = new KafkaTopicsReader(kafka, consumer, groupId, `${namespace}.`);
    await consumer.connect();
    await consumer.subscribe({ topics: ALL_TOPICS.map((topic) => reader.prefix + topic), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        reader.read.set(`${topic}/${partition}`, BigInt(message.offset));
        const key = message.key?.toString('utf8') ?? null;
        if (key === null || !keep(key)) return;
        reader.kept.push({
          topic: topic.slice(reader.prefix.length),
          partition,
          offset: BigInt(message.offset),
          key,
          headers: stringHeaders(message.headers),
          value: message.value?.toString('utf8') ?? null,
        });
      },
    });
    return reader;
  }

  async until(description: string, condition: (kept: PositionedMessage[]) => boolean, timeoutMs = 120_000): Promise<PositionedMessage[]> {
    await eventually(async () => condition(this.kept), Boolean, timeoutMs, description);
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const ends = await Promise.all(ALL_TOPICS.map(async (topic) => ({ topic: this.prefix + topic, offsets: await admin.fetchTopicOffsets(this.prefix + topic) })));
      const behind = () =>
        ends.flatMap(({ topic, offsets }) =>
          offsets.filter((end) => BigInt(end.high) > 0n && (this.read.get(`${topic}/${end.partition}`) ?? -1n) < BigInt(end.high) - 1n).map((end) => `${topic}/${end.partition}`),
        );
      await eventually(async () => behind(), (partitions) => partitions.length === 0, timeoutMs, 'the topics read to their ends');
    } finally {
      await admin.disconnect();
    }
    return [...this.kept];
  }

  async close(): Promise<void> {
    await this.consumer.disconnect();
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.deleteGroups([this.groupId]).catch(() => undefined);
    } finally {
      await admin.disconnect();
    }
  }
}

function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  const strings: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    strings[name] = (Array.isArray(value) ? value[value.length - 1] : value).toString();
  }
  return strings;
}

/**
 * The embedded event log of a stopped embedded process (PGlite under `dataDir/pg`): every message
 * whose key `keep` accepts, in partition order. The log keeps each message as the Kafka adapter
 * would send it — topic, key, the `ce_*` headers of the binary content mode, the JSON value.
 * The data folder is removed afterwards.
 */
export async function readEmbeddedEventLog(dataDir: string, keep: (key: string) => boolean): Promise<PositionedMessage[]> {
  const database = await createPgliteDataSource({ dataDir: join(dataDir, 'pg') });
  try {
    const rows: { topic: string; partition: number; offset: string; key: string; headers: Record<string, string>; value: string }[] = await database.dataSource.query(
      'SELECT topic, partition, "offset"::text AS "offset", key, headers, value FROM event_log.messages ORDER BY topic, partition, "offset"',
    );
    return rows
      .filter((row) => keep(row.key))
      .map((row) => ({ topic: row.topic, partition: row.partition, offset: BigInt(row.offset), key: row.key, headers: row.headers, value: row.value }));
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
