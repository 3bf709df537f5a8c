import { Logger } from '@nestjs/common';
import { type WireMessage, withLifecycleCopies } from '@fleetjobs/contracts';
import { queryPrepared } from '@fleetjobs/sql';
import type { DataSource, EntityManager } from 'typeorm';
import type { EventLog, SubscribeOptions, Subscription } from '../event-log.port';
import { MessageRejectedError } from '../message-rejected.error';
import { partitionForKey } from './murmur2-partitioner';
import { registryFor, SqlEventLogRegistry } from './sql-event-log.registry';
import { eventLogDdl, eventLogTables, SqlEventLogTables } from './sql-event-log.schema';
import { SqlEventLogErrorContext, SqlEventLogSubscription } from './sql-event-log.subscription';

export type { SqlEventLogErrorContext } from './sql-event-log.subscription';

export interface SqlEventLogOptions {
  /** The database holding the log: the embedded PGlite, or any PostgreSQL. */
  dataSource: DataSource;
  /** Schema of the log's tables. Default `event_log`. */
  schema?: string;
  /** How long a consumer waits before looking for new messages again. Default 50 ms. */
  pollIntervalMs?: number;
  /**
   * While a consumer keeps finding nothing, its wait doubles up to this ceiling. Publishes through
   * any log on the same DataSource wake it at once, so this only delays seeing messages appended by
   * another process. Default 1000 ms; set it to `pollIntervalMs` to poll at a constant rate.
   */
  maxIdlePollIntervalMs?: number;
  /** Partitions of topics created on first use by `publish` or `subscribe`. Default 8. */
  partitions?: number;
  /** Partitions of one subscription whose batches may be handled at the same time. Default 4. */
  partitionConcurrency?: number;
  /** Ceiling of the exponential backoff after a failed batch. Default 5000 ms. */
  maxBackoffMs?: number;
  /**
   * Largest message `publish` accepts (key, headers and value, in bytes); a larger one is refused
   * with `MessageRejectedError`, as a Kafka broker refuses it. Default 1 MiB, Kafka's default.
   */
  maxMessageBytes?: number;
  /** Receives handler and database errors of consumers (which retry them). Default: console.error. */
  onError?: (error: unknown, context: SqlEventLogErrorContext) => void;
}

const DEFAULT_MAX_BATCH_SIZE = 500;
/** Rows per INSERT statement, so one huge publish does not become one huge statement. */
const INSERT_CHUNK = 1000;

/**
 * Kafka's contract kept in SQL tables, for running the whole product in one process.
 * Durable once `publish` resolves (its transaction committed), ordered per key (Kafka's murmur2
 * partitioner, dense offsets per partition), at least once (a batch's position is committed after
 * its handler resolves), positions kept across restarts. One process owns the log: a consumer
 * group has a single active member, so a second live subscription of a group to a topic is rejected.
 * A group new to a topic starts at its earliest retained message.
 */
export class SqlEventLog implements EventLog {
  private readonly dataSource: DataSource;
  private readonly tables: SqlEventLogTables;
  private readonly registry: SqlEventLogRegistry;
  private readonly pollIntervalMs: number;
  private readonly maxIdlePollIntervalMs: number;
  private readonly defaultPartitions: number;
  private readonly partitionConcurrency: number;
  private readonly maxBackoffMs: number;
  private readonly maxMessageBytes: number;
  private readonly onError: (error: unknown, context: SqlEventLogErrorContext) => void;
  private readonly partitionCounts = new Map<string, number>();
  private readonly subscriptions = new Set<SqlEventLogSubscription>();
  private ready: Promise<void> | null = null;
  private closed = false;

  constructor(options: SqlEventLogOptions) {
    const schema = options.schema ?? 'event_log';
    this.dataSource = options.dataSource;
    this.tables = eventLogTables(schema);
    this.registry = registryFor(options.dataSource, schema);
    this.pollIntervalMs = options.pollIntervalMs ?? 50;
    this.maxIdlePollIntervalMs = options.maxIdlePollIntervalMs ?? 1000;
    this.defaultPartitions = options.partitions ?? 8;
    this.partitionConcurrency = options.partitionConcurrency ?? 4;
    this.maxBackoffMs = options.maxBackoffMs ?? 5000;
    this.maxMessageBytes = options.maxMessageBytes ?? 1024 * 1024;
    this.onError =
      options.onError ??
      ((error, context) => new Logger('event-log').error({ msg: 'consumer failed', consumer: context, err: String(error) }));
  }

  /** Creates the log's schema and tables if missing. Idempotent; the other methods call it. */
  init(): Promise<void> {
    this.ready ??= this.dataSource
      .transaction(async (manager) => {
        // Serializes concurrent first starts: CREATE ... IF NOT EXISTS alone can still collide.
        await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`fleetjobs-event-log:${this.tables.schema}`]);
        for (const statement of eventLogDdl(this.tables)) await manager.query(statement);
      })
      .catch((error: unknown) => {
        this.ready = null;
        throw error;
      });
    return this.ready;
  }

  /** Creates missing topics; a topic that exists keeps its partition count. */
  async ensureTopics(topics: string[], partitions: number): Promise<void> {
    if (!Number.isInteger(partitions) || partitions < 1) throw new Error(`Invalid partition count: ${partitions}`);
    const names = [...new Set(topics)];
    if (names.length === 0) return;
    await this.init();
    const t = this.tables;
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO ${t.topics} (name, partitions) SELECT unnest($1::text[]), $2 ON CONFLICT (name) DO NOTHING`,
        [names, partitions],
      );
      await manager.query(
        `INSERT INTO ${t.partitionHeads} (topic, partition)
         SELECT t.name, p FROM ${t.topics} t CROSS JOIN LATERAL generate_series(0, t.partitions - 1) AS p
          WHERE t.name = ANY($1)
         ON CONFLICT (topic, partition) DO NOTHING`,
        [names],
      );
    });
    const rows: Array<{ name: string; partitions: number }> = await this.dataSource.query(
      `SELECT name, partitions FROM ${t.topics} WHERE name = ANY($1)`,
      [names],
    );
    for (const row of rows) this.partitionCounts.set(row.name, row.partitions);
  }

  /** Appends all messages in one transaction; resolves once it has committed. */
  async publish(published: WireMessage[]): Promise<void> {
    this.assertOpen();
    if (published.length === 0) return;
    const messages = withLifecycleCopies(published);
    for (const message of messages) {
      const size = messageBytes(message);
      if (size > this.maxMessageBytes) {
        throw new MessageRejectedError(
          `message of ${size} bytes exceeds the log's limit of ${this.maxMessageBytes} bytes`,
          message.topic,
          message.key,
        );
      }
    }
    const counts = await this.partitionCountsOf(messages.map((m) => m.topic));
    const groups = new Map<string, { topic: string; partition: number; messages: WireMessage[] }>();
    for (const message of messages) {
      const partition = partitionForKey(message.key, counts.get(message.topic)!);
      const id = `${message.topic}\u0000${partition}`;
      let group = groups.get(id);
      if (!group) groups.set(id, (group = { topic: message.topic, partition, messages: [] }));
      group.messages.push(message);
    }
    // A fixed lock order keeps concurrent publishers on a server from deadlocking.
    const ordered = [...groups.values()].sort((a, b) =>
      a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1,
    );
    await this.dataSource.transaction(async (manager) => {
      for (const group of ordered) await this.append(manager, group.topic, group.partition, group.messages);
    });
    this.registry.appended(new Set(ordered.map((group) => group.topic)));
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    this.assertOpen();
    const topics = [...new Set(options.topics)];
    if (!options.groupId) throw new Error('A subscription needs a groupId');
    if (topics.length === 0) throw new Error('A subscription needs at least one topic');
    const maxBatchSize = options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
    if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) throw new Error(`Invalid maxBatchSize: ${maxBatchSize}`);
    const release = this.registry.claim(options.groupId, topics);
    try {
      const counts = await this.partitionCountsOf(topics);
      const partitions = topics.flatMap((topic) =>
        Array.from({ length: counts.get(topic)! }, (_, partition) => ({ topic, partition })),
      );
      // Registering the group at offset 0 keeps trimConsumed from deleting what it has not read yet.
      await this.dataSource.query(
        `INSERT INTO ${this.tables.consumerOffsets} (group_id, topic, partition)
         SELECT $1, topic, partition FROM ${this.tables.partitionHeads} WHERE topic = ANY($2)
         ON CONFLICT (group_id, topic, partition) DO NOTHING`,
        [options.groupId, topics],
      );
      let stopListening = () => {};
      const subscription = new SqlEventLogSubscription({
        dataSource: this.dataSource,
        tables: this.tables,
        groupId: options.groupId,
        topics,
        partitions,
        handleBatch: options.handleBatch,
        maxBatchSize,
        pollIntervalMs: this.pollIntervalMs,
        maxIdlePollIntervalMs: this.maxIdlePollIntervalMs,
        partitionConcurrency: this.partitionConcurrency,
        maxBackoffMs: this.maxBackoffMs,
        onError: this.onError,
        onStopped: () => {
          stopListening();
          release();
          this.subscriptions.delete(subscription);
        },
      });
      stopListening = this.registry.onAppend((appended) => {
        if (topics.some((topic) => appended.has(topic))) subscription.wake();
      });
      this.subscriptions.add(subscription);
      return subscription;
    } catch (error) {
      release();
      throw error;
    }
  }

  async ping(): Promise<boolean> {
    try {
      await this.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  /** Stops every subscription (each finishes its current batches). The DataSource stays open. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
  }

  /**
   * Deletes messages older than `olderThanMs` that every consumer group of their topic has
   * committed. Topics no group has subscribed to are kept whole. Returns how many were deleted.
   */
  async trimConsumed(olderThanMs: number): Promise<number> {
    await this.init();
    const t = this.tables;
    const floors: Array<{ topic: string; partition: number; floor: string }> = await this.dataSource.query(
      `SELECT h.topic, h.partition, MIN(COALESCE(o.committed_offset, 0))::text AS floor
         FROM ${t.partitionHeads} h
         JOIN (SELECT DISTINCT group_id, topic FROM ${t.consumerOffsets}) g ON g.topic = h.topic
         LEFT JOIN ${t.consumerOffsets} o
           ON o.group_id = g.group_id AND o.topic = h.topic AND o.partition = h.partition
        GROUP BY h.topic, h.partition`,
    );
    let deleted = 0;
    for (const { topic, partition, floor } of floors) {
      if (floor === '0') continue;
      const rows: Array<{ count: number }> = await this.dataSource.query(
        `WITH trimmed AS (
           DELETE FROM ${t.messages}
            WHERE topic = $1 AND partition = $2 AND "offset" < $3
              AND appended_at <= now() - ($4::double precision * interval '1 millisecond')
           RETURNING 1)
         SELECT count(*)::int AS count FROM trimmed`,
        [topic, partition, floor, olderThanMs],
      );
      deleted += rows[0].count;
    }
    return deleted;
  }

  private async append(manager: EntityManager, topic: string, partition: number, messages: WireMessage[]): Promise<void> {
    const t = this.tables;
    // Taking the offsets from the head row locks it until commit: appenders of a partition queue here.
    const heads = await queryPrepared<{ first: string }>(
      manager,
      `WITH head AS (
         UPDATE ${t.partitionHeads} SET next_offset = next_offset + $3
          WHERE topic = $1 AND partition = $2
         RETURNING next_offset)
       SELECT (next_offset - $3)::text AS first FROM head`,
      [topic, partition, messages.length],
    );
    if (heads.length !== 1) throw new Error(`Unknown partition ${topic}/${partition}`);
    const first = BigInt(heads[0].first);
    for (let start = 0; start < messages.length; start += INSERT_CHUNK) {
      const chunk = messages.slice(start, start + INSERT_CHUNK);
      await queryPrepared(
        manager,
        `INSERT INTO ${t.messages} (topic, partition, "offset", key, headers, value)
         SELECT $1, $2, $3::bigint + x.n - 1, x.key, x.headers::jsonb, x.value
           FROM unnest($4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS x(key, headers, value, n)`,
        [
          topic,
          partition,
          (first + BigInt(start)).toString(),
          chunk.map((m) => m.key),
          chunk.map((m) => JSON.stringify(m.headers)),
          chunk.map((m) => m.value),
        ],
      );
    }
  }

  private async partitionCountsOf(topics: string[]): Promise<Map<string, number>> {
    const missing = [...new Set(topics)].filter((topic) => !this.partitionCounts.has(topic));
    if (missing.length > 0) await this.ensureTopics(missing, this.defaultPartitions);
    return this.partitionCounts;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The event log is closed');
  }
}

function messageBytes(message: WireMessage): number {
  let size = Buffer.byteLength(message.key) + Buffer.byteLength(message.value);
  for (const [name, value] of Object.entries(message.headers)) size += Buffer.byteLength(name) + Buffer.byteLength(value);
  return size;
}
