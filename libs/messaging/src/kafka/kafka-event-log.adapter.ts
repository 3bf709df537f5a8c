import { Logger } from '@nestjs/common';
import { Admin, Kafka, Partitioners, Producer } from 'kafkajs';
import { WireMessage, withLifecycleCopies } from '@fleetjobs/contracts';
import { EventLog, Subscription, SubscribeOptions } from '../event-log.port';
import { kafkaClientConfig, KafkaSecurity } from './kafka-client.config';
import { KafkaLogLevel, kafkaLogCreator, logs, toKafkajsLogLevel } from './kafka-client-logger';
import { KafkaSubscription } from './kafka-subscription.adapter';
import { installKafkajsRecordEncoder } from './kafkajs-record.encoder';
import { groupByTopic, publishChunks } from './publish-chunks';

export type { KafkaLogLevel } from './kafka-client-logger';

/** Consumer-group timing and retry behaviour shared by every subscription of one `KafkaEventLog`. */
export interface KafkaConsumerOptions {
  /** A member silent for this long is dropped from its group (the broker's minimum is 6 s). Default 10 s. */
  sessionTimeoutMs?: number;
  /** How often members heartbeat; also how soon they notice a rebalance. Default 1 s. */
  heartbeatIntervalMs?: number;
  /** How long the group waits for members to rejoin during a rebalance. Default 10 s. */
  rebalanceTimeoutMs?: number;
  /** Longest a fetch waits for new messages; bounds how long an idle consumer takes to stop. Default 1 s. */
  maxWaitTimeMs?: number;
  /** Partitions handled at the same time by one member (each partition stays in order). Default 4. */
  partitionsConsumedConcurrently?: number;
  /** How long `stop()` lets a running handler finish before its slice is left for redelivery. Default 10 s. */
  stopGraceMs?: number;
  /** First backoff after a handler failure; doubles per attempt up to `retryMaxMs`. Default 100 ms. */
  retryInitialMs?: number;
  /** Longest backoff between attempts at the same slice. Default 5 s. */
  retryMaxMs?: number;
  /**
   * Most bytes one fetch brings in, over all partitions. Decoded messages take several times their
   * wire size in memory (a buffer per header), so this bounds what a member holds. Default 1 MiB.
   */
  maxFetchBytes?: number;
  /** Most bytes one fetch brings in from one partition. Default 256 KiB. */
  maxFetchBytesPerPartition?: number;
  /**
   * How long a member waits before its next fetch after a batch smaller than `maxBatchSize` that
   * reached the end of its partition. Under a steady flow the next fetch then brings what arrived
   * meanwhile at once: fewer, larger batches (fewer fetches, handler calls, transactions and
   * commits) for at most this much more delay; a message reaching an idle member is not delayed.
   * Default 50 ms; 0 fetches again at once.
   */
  batchLingerMs?: number;
}

export interface KafkaEventLogOptions {
  /** Bootstrap brokers, `host:port`. */
  brokers: string[];
  /** Names this process in broker logs and quotas, e.g. the service name. */
  clientId: string;
  /** TLS and SASL to the brokers; plaintext without. */
  security?: KafkaSecurity;
  /** Kafka client logging that reaches the process log; default `warn`. */
  logLevel?: KafkaLogLevel;
  consumer?: KafkaConsumerOptions;
}

const DEFAULT_MAX_BATCH_SIZE = 500;
const PING_TIMEOUT_MS = 2_000;
const LEADER_DEADLINE_MS = 30_000;

/** The `EventLog` port on Apache Kafka, through kafkajs. */
export class KafkaEventLog implements EventLog {
  private readonly kafka: Kafka;
  /** Same brokers without retries: a readiness probe must answer quickly, not wait for the broker. */
  private readonly probeKafka: Kafka;
  private readonly logger = new Logger(KafkaEventLog.name);
  private readonly logLevel: KafkaLogLevel;
  private readonly consumerOptions: Required<KafkaConsumerOptions>;
  private readonly subscriptions = new Set<KafkaSubscription>();
  private producer?: Connecting<Producer>;
  private adminClient?: Connecting<Admin>;
  private probeClient?: Connecting<Admin>;

  constructor(options: KafkaEventLogOptions) {
    installKafkajsRecordEncoder();
    this.logLevel = options.logLevel ?? 'warn';
    this.consumerOptions = {
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 1_000,
      rebalanceTimeoutMs: 10_000,
      maxWaitTimeMs: 1_000,
      partitionsConsumedConcurrently: 4,
      stopGraceMs: 10_000,
      retryInitialMs: 100,
      retryMaxMs: 5_000,
      maxFetchBytes: 1024 * 1024,
      maxFetchBytesPerPartition: 256 * 1024,
      batchLingerMs: 50,
      ...Object.fromEntries(Object.entries(options.consumer ?? {}).filter(([, value]) => value !== undefined)),
    };
    const client = {
      ...kafkaClientConfig(options),
      logLevel: toKafkajsLogLevel(this.logLevel),
      logCreator: kafkaLogCreator(new Logger('kafkajs')),
    };
    this.kafka = new Kafka({ ...client, connectionTimeout: 3_000 });
    this.probeKafka = new Kafka({
      ...client,
      connectionTimeout: PING_TIMEOUT_MS,
      requestTimeout: PING_TIMEOUT_MS,
      retry: { retries: 0 },
      logLevel: toKafkajsLogLevel('nothing'),
    });
  }

  async ensureTopics(topics: string[], partitions: number): Promise<void> {
    const admin = await this.admin();
    const existing = new Set(await admin.listTopics());
    const missing = [...new Set(topics)].filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      try {
        await admin.createTopics({
          topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
          waitForLeaders: false,
        });
      } catch (error) {
        // Another process may create the same topics at the same moment.
        if (!onlyTopicsAlreadyExist(error)) throw error;
      }
    }
    await this.waitForLeaders(admin, topics);
  }

  async publish(messages: WireMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const producer = await this.connectedProducer();
    // Chunks go one after the other: per-key order holds across chunks and across calls.
    for (const chunk of publishChunks(withLifecycleCopies(messages))) {
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...groupByTopic(chunk)].map(([topic, list]) => ({
          topic,
          messages: list.map(({ key, value, headers }) => ({ key, value, headers })),
        })),
      });
    }
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const settings = this.consumerOptions;
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: settings.sessionTimeoutMs,
      heartbeatInterval: settings.heartbeatIntervalMs,
      rebalanceTimeout: settings.rebalanceTimeoutMs,
      maxWaitTimeInMs: settings.maxWaitTimeMs,
      maxBytes: settings.maxFetchBytes,
      maxBytesPerPartition: settings.maxFetchBytesPerPartition,
      allowAutoTopicCreation: false,
    });
    const subscription = new KafkaSubscription(
      consumer,
      {
        groupId: options.groupId,
        topics: options.topics,
        handleBatch: options.handleBatch,
        maxBatchSize: options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE,
        heartbeatIntervalMs: settings.heartbeatIntervalMs,
        stopGraceMs: settings.stopGraceMs,
        retryInitialMs: settings.retryInitialMs,
        retryMaxMs: settings.retryMaxMs,
        batchLingerMs: settings.batchLingerMs,
      },
      {
        admin: () => this.admin(),
        logger: this.logger,
        logErrors: logs(this.logLevel, 'error'),
        onStopped: (stopped) => this.subscriptions.delete(stopped),
      },
    );
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: options.topics, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently,
        eachBatch: (payload) => subscription.consumeBatch(payload),
      });
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
    this.subscriptions.add(subscription);
    return subscription;
  }

  async ping(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS)));
    const probe = (this.probeClient ??= connecting(this.probeKafka.admin(), () => undefined));
    const answer = probe.ready
      .then((admin) => admin.describeCluster())
      .then((cluster) => cluster.brokers.length > 0)
      .catch(async () => {
        // Start afresh next time: a probe that failed may hold a half-open connection.
        if (this.probeClient === probe) this.probeClient = undefined;
        await probe.client.disconnect().catch(() => undefined);
        return false;
      });
    try {
      return await Promise.race([answer, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    const clients = [this.producer, this.adminClient, this.probeClient];
    this.producer = undefined;
    this.adminClient = undefined;
    this.probeClient = undefined;
    // Disconnecting directly also ends a connection attempt still retrying against a dead broker.
    await Promise.all(clients.map((c) => c?.client.disconnect().catch(() => undefined)));
  }

  private connectedProducer(): Promise<Producer> {
    const producer = (this.producer ??= connecting(
      this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      }),
      () => {
        if (this.producer === producer) this.producer = undefined;
      },
    ));
    return producer.ready;
  }

  private admin(): Promise<Admin> {
    const admin = (this.adminClient ??= connecting(this.kafka.admin(), () => {
      if (this.adminClient === admin) this.adminClient = undefined;
    }));
    return admin.ready;
  }

  private async waitForLeaders(admin: Admin, topics: string[]): Promise<void> {
    const deadline = Date.now() + LEADER_DEADLINE_MS;
    for (;;) {
      try {
        const { topics: found } = await admin.fetchTopicMetadata({ topics });
        if (found.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline) throw new Error(`topics ${topics.join(', ')} have no leaders after ${LEADER_DEADLINE_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** A client and its one connection attempt; a failed attempt is forgotten so the next call tries again. */
interface Connecting<T extends Producer | Admin> {
  client: T;
  ready: Promise<T>;
}

function connecting<T extends Producer | Admin>(client: T, forget: () => void): Connecting<T> {
  const ready = client.connect().then(
    () => client,
    (error: unknown) => {
      forget();
      throw error;
    },
  );
  return { client, ready };
}

function onlyTopicsAlreadyExist(error: unknown): boolean {
  const { type, errors } = error as { type?: string; errors?: { type?: string }[] };
  if (Array.isArray(errors) && errors.length > 0) return errors.every((e) => e.type === 'TOPIC_ALREADY_EXISTS');
  return type === 'TOPIC_ALREADY_EXISTS';
}
