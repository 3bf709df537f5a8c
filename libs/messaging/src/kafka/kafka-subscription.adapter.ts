import { Logger } from '@nestjs/common';
import { Admin, Consumer, EachBatchPayload, IHeaders, KafkaMessage } from 'kafkajs';
import { BatchHandler, ConsumedMessage, Subscription } from '../event-log.port';

/** Tuning of one subscription; see `KafkaConsumerOptions` for the meaning of each field. */
export interface KafkaSubscriptionSettings {
  groupId: string;
  topics: string[];
  handleBatch: BatchHandler;
  maxBatchSize: number;
  heartbeatIntervalMs: number;
  stopGraceMs: number;
  retryInitialMs: number;
  retryMaxMs: number;
  batchLingerMs: number;
}

/** What a subscription needs from the event log that owns it. */
export interface KafkaSubscriptionContext {
  admin: () => Promise<Admin>;
  logger: Logger;
  logErrors: boolean;
  onStopped: (subscription: KafkaSubscription) => void;
}

type Outcome = { kind: 'handled' } | { kind: 'failed'; error: unknown } | { kind: 'abandoned' };

function headerText(value: IHeaders[string]): string | undefined {
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return last === undefined ? undefined : last.toString();
}

export function toConsumedMessage(topic: string, partition: number, message: KafkaMessage): ConsumedMessage {
  const headers: Record<string, string> = {};
  const raw = message.headers;
  for (const name in raw) {
    const text = headerText(raw[name]);
    if (text !== undefined) headers[name] = text;
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? '',
    headers,
    value: message.value?.toString() ?? '',
  };
}

/**
 * One consumer-group member. Each Kafka batch is handed to the handler in slices of at most
 * `maxBatchSize`; a slice's position is committed only after its handler resolved, and a failed
 * slice is retried in place with exponential backoff, so a partition never skips ahead of a
 * message its handler has not finished. After a small batch that reached the end of its
 * partition the member waits `batchLingerMs` before it fetches again: under a steady flow each
 * fetch then brings what arrived meanwhile in one batch, instead of a handful of messages per
 * fetch, handler call and commit; a message arriving at an idle member is still fetched at once.
 */
export class KafkaSubscription implements Subscription {
  private joined = false;
  private failed = false;
  private stopping = false;
  private stopped?: Promise<void>;
  private readonly stopRequested = new Signal();
  private readonly abandonInFlight = new Signal();

  private readonly logger: Logger;
  private readonly logErrors: boolean;

  constructor(
    private readonly consumer: Consumer,
    private readonly settings: KafkaSubscriptionSettings,
    private readonly context: KafkaSubscriptionContext,
  ) {
    this.logger = context.logger;
    this.logErrors = context.logErrors;
    const { GROUP_JOIN, CRASH, STOP, DISCONNECT } = consumer.events;
    consumer.on(GROUP_JOIN, () => (this.joined = !this.stopping));
    // kafkajs logs the crash itself and, for retriable errors, restarts the consumer (GROUP_JOIN again).
    consumer.on(CRASH, (event) => {
      this.joined = false;
      // Without a restart the member is gone for good: nothing consumes its partitions here any more.
      if (!event.payload.restart && !this.stopping) this.failed = true;
    });
    consumer.on(STOP, () => (this.joined = false));
    consumer.on(DISCONNECT, () => (this.joined = false));
  }

  get groupId(): string {
    return this.settings.groupId;
  }

  isRunning(): boolean {
    return this.joined;
  }

  hasFailed(): boolean {
    return this.failed;
  }

  async lag(): Promise<number> {
    const admin = await this.context.admin();
    const committed = await admin.fetchOffsets({ groupId: this.groupId, topics: this.settings.topics });
    let lag = 0n;
    for (const { topic, partitions } of committed) {
      const ends = await admin.fetchTopicOffsets(topic);
      for (const end of ends) {
        const position = partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
        const from = BigInt(position) >= 0n ? BigInt(position) : BigInt(end.low);
        if (BigInt(end.high) > from) lag += BigInt(end.high) - from;
      }
    }
    return Number(lag);
  }

  /**
   * Leaves the group. A handler still running gets `stopGraceMs` to finish (its slice is then
   * committed); after that its slice is abandoned uncommitted and the group redelivers it.
   */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      this.stopRequested.fire();
      const grace = setTimeout(() => this.abandonInFlight.fire(), this.settings.stopGraceMs);
      try {
        await this.consumer.disconnect();
      } finally {
        clearTimeout(grace);
        this.joined = false;
        this.context.onStopped(this);
      }
    })();
    return this.stopped;
  }

  /** The kafkajs `eachBatch` callback. */
  async consumeBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary } = payload;
    const { topic, partition } = batch;
    const size = this.settings.maxBatchSize;
    for (let start = 0; start < batch.messages.length; start += size) {
      if (!this.mayContinue(payload)) return;
      const raw = batch.messages.slice(start, start + size);
      const slice = raw.map((message) => toConsumedMessage(topic, partition, message));
      if (!(await this.handleUntilDone(slice, payload))) return;

      const last = raw[raw.length - 1].offset;
      resolveOffset(last);
      const next = (BigInt(last) + 1n).toString();
      await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: next }] }] });
      await heartbeat();
    }
    if (this.settings.batchLingerMs > 0 && batch.messages.length < size && reachedEnd(batch)) {
      await sleepUnless(this.settings.batchLingerMs, this.stopRequested);
    }
  }

  private mayContinue(payload: EachBatchPayload): boolean {
    return !this.stopping && payload.isRunning() && !payload.isStale();
  }

  /** True once the handler resolved for the slice; false when the slice must be left uncommitted. */
  private async handleUntilDone(slice: ConsumedMessage[], payload: EachBatchPayload): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.runHandler(slice, payload);
      if (outcome.kind === 'handled') return true;
      if (outcome.kind === 'abandoned') return false;

      const backoff = Math.min(this.settings.retryInitialMs * 2 ** (attempt - 1), this.settings.retryMaxMs);
      if (this.logErrors) {
        const first = slice[0];
        this.logger.error(
          `handler of ${this.groupId} failed on ${first.topic}[${first.partition}] from offset ${first.offset}` +
            ` (attempt ${attempt}, retrying in ${backoff} ms): ${describe(outcome.error)}`,
        );
      }
      await sleepUnless(backoff, this.stopRequested);
      if (!this.mayContinue(payload)) return false;
      // Rebalance errors leave eachBatch here; the new owner of the partition redelivers the slice.
      await payload.heartbeat();
    }
  }

  private async runHandler(slice: ConsumedMessage[], payload: EachBatchPayload): Promise<Outcome> {
    // kafkajs heartbeats only when asked; keep the membership alive while a slow handler works.
    const keepAlive = setInterval(() => payload.heartbeat().catch(() => undefined), this.settings.heartbeatIntervalMs);
    try {
      const handled: Promise<Outcome> = Promise.resolve()
        .then(() => this.settings.handleBatch(slice))
        .then(
          (): Outcome => ({ kind: 'handled' }),
          (error: unknown): Outcome => ({ kind: 'failed', error }),
        );
      const abandoned = this.abandonInFlight.wait();
      try {
        return await Promise.race([handled, abandoned.fired.then((): Outcome => ({ kind: 'abandoned' }))]);
      } finally {
        abandoned.dispose();
      }
    } finally {
      clearInterval(keepAlive);
    }
  }
}

/** Whether the batch holds the last message written to its partition when it was fetched. */
function reachedEnd(batch: EachBatchPayload['batch']): boolean {
  const last = batch.messages[batch.messages.length - 1];
  return last === undefined || BigInt(last.offset) + 1n >= BigInt(batch.highWatermark);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Waits `ms`, or less when `interrupt` fires first; leaves no timer or listener behind. */
async function sleepUnless(ms: number, interrupt: Signal): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  const interrupted = interrupt.wait();
  try {
    await Promise.race([elapsed, interrupted.fired]);
  } finally {
    clearTimeout(timer);
    interrupted.dispose();
  }
}

/**
 * A one-shot event that many waits can race against. Unlike racing one long-lived promise, each
 * wait is dropped once it is over: reactions attached to a promise that never settles would keep
 * every batch they close over alive for the life of the consumer.
 */
class Signal {
  private fired = false;
  private readonly listeners = new Set<() => void>();

  fire(): void {
    this.fired = true;
    for (const listener of this.listeners) listener();
    this.listeners.clear();
  }

  wait(): { fired: Promise<void>; dispose(): void } {
    let listener!: () => void;
    const fired = new Promise<void>((resolve) => (listener = resolve));
    if (this.fired) listener();
    else this.listeners.add(listener);
    return { fired, dispose: () => this.listeners.delete(listener) };
  }
}
