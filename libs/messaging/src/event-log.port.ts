import { WireMessage } from '@fleetjobs/contracts';

/** DI token of the `EventLog` a process uses: Kafka when distributed, the embedded log in one process. */
export const EVENT_LOG = Symbol('EVENT_LOG');

/** A message read from the log, with its position. */
export interface ConsumedMessage extends WireMessage {
  partition: number;
  /** Position within the partition, as a decimal string (Kafka offsets exceed 2^53). */
  offset: string;
}

/**
 * Handles one batch: messages of ONE partition, in log order. The batch's position is committed
 * only after the returned promise resolves; if it rejects, the same messages are delivered again
 * (after a backoff), so handlers must be idempotent.
 */
export type BatchHandler = (batch: ConsumedMessage[]) => Promise<void>;

export interface SubscribeOptions {
  /** Consumer group: each group sees every message once (at least once); its position survives restarts. */
  groupId: string;
  topics: string[];
  handleBatch: BatchHandler;
  /** Upper bound of messages handed to one `handleBatch` call. */
  maxBatchSize?: number;
}

export interface Subscription {
  readonly groupId: string;
  /** True once the consumer has joined and is fetching; false after a crash of its loop. */
  isRunning(): boolean;
  /** True once its loop has ended for good without `stop()` (a crash it does not recover from). */
  hasFailed(): boolean;
  /** Messages written but not yet committed by this group, summed over its partitions. */
  lag(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The durable, ordered-per-key, at-least-once event log with consumer groups: Kafka's contract.
 * Messages with the same key go to the same partition and keep their order.
 */
export interface EventLog {
  /** Creates the topics if missing. */
  ensureTopics(topics: string[], partitions: number): Promise<void>;
  /**
   * Resolves once every message is durably written (Kafka: acks from all in-sync replicas). A
   * message for `fleetjobs.jobs` that is not a device outcome is written to `fleetjobs.jobs.lifecycle`
   * too, in the same call (`withLifecycleCopies`).
   */
  publish(messages: WireMessage[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /** Whether the log answers right now (used by readiness). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
