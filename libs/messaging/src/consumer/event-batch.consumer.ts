import { Logger } from '@nestjs/common';
import { FleetEvent, runWithRequestId } from '@fleetjobs/contracts';
import type { ConsumedMessage } from '../event-log.port';
import { DeadLetter, deadLetterOf, DeadLetterStore } from './dead-letter';
import { countDeadLetters } from './dead-letter.metrics';
import { describeError, errorSignature, isTransientError } from './error-classification';
import { readMessage } from './read-message';

export type FleetEventType = FleetEvent['type'];
export type FleetEventOf<T extends FleetEventType> = Extract<FleetEvent, { type: T }>;

export interface EventBatchConsumerOptions<T extends FleetEventType> {
  /** The consumer group (names its dead letters and metrics). */
  group: string;
  /** Where unreadable and poison messages go: the service's own `dead_letters` table. */
  deadLetters: DeadLetterStore;
  /** The event types the handler wants; other messages are passed over unread. Default: every known type. */
  types?: readonly T[];
  /** Tries of one message failing the same way before it is dead-lettered. Default 5. */
  maxAttempts?: number;
  /** First pause between those tries; doubles per try up to `maxRetryDelayMs`. Default 100 ms. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** More failures to wait out forever, on top of `isTransientError` (e.g. a throttled peer). */
  isTransient?: (error: unknown) => boolean;
}

interface Item<T extends FleetEventType> {
  message: ConsumedMessage;
  event: FleetEventOf<T>;
}

/** What one batch came to. */
export interface ConsumeReport {
  handled: number;
  deadLettered: DeadLetter[];
}

/**
 * The one way a service consumes a topic. For each batch (one partition, in log order):
 * 1. every message is read with the contracts' parser; one that can never be read is stored as a
 *    dead letter (counted, logged) and the partition moves on;
 * 2. the events of interest go to the handler in one call;
 * 3. if the handler fails for a reason other than the infrastructure, the batch is handled again
 *    event by event, so that one poison event cannot hold back the others: an event failing the
 *    same way `maxAttempts` times (with backoff) is dead-lettered and the rest carry on.
 * A transient failure (database or broker unreachable) is rethrown: the event log redelivers the
 * batch after its own backoff, for as long as it takes, and nothing is dead-lettered for it.
 * Handlers must be idempotent (an event may be handed over again after a failure) and must accept
 * any in-order subset of a batch.
 */
export class EventBatchConsumer<T extends FleetEventType = FleetEventType> {
  private readonly logger: Logger;
  private readonly types?: ReadonlySet<string>;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;

  constructor(private readonly options: EventBatchConsumerOptions<T>) {
    this.logger = new Logger(`EventBatchConsumer:${options.group}`);
    this.types = options.types ? new Set(options.types) : undefined;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.retryDelayMs = options.retryDelayMs ?? 100;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 2_000;
  }

  get group(): string {
    return this.options.group;
  }

  /** Handles one batch; resolves when its position may be committed. */
  async consume(batch: ConsumedMessage[], handle: (events: FleetEventOf<T>[]) => Promise<void>): Promise<ConsumeReport> {
    const { items, deadLettered } = await this.readItems(batch);
    if (items.length > 0) {
      this.logRequests(items);
      deadLettered.push(...(await this.apply(items, (events) => handleInRequestContext(events, handle))));
    }
    return { handled: items.length, deadLettered };
  }

  /** One line per request whose events the batch carries (not one per event: a batch may hold thousands). */
  private logRequests(items: Item<T>[]): void {
    let byRequest: Map<string, Record<string, number>> | undefined;
    for (const { event } of items) {
      if (!event.requestId) continue;
      byRequest ??= new Map();
      const types = byRequest.get(event.requestId) ?? {};
      types[event.type] = (types[event.type] ?? 0) + 1;
      byRequest.set(event.requestId, types);
    }
    for (const [requestId, events] of byRequest ?? []) {
      runWithRequestId(requestId, () => this.logger.log({ msg: 'handling events of a request', events }));
    }
  }

  /**
   * Only the reading step: the batch's events of interest, in order, after dead-lettering what
   * can never be read. For a consumer that keeps its own retry policy for handling.
   */
  async read(batch: ConsumedMessage[]): Promise<FleetEventOf<T>[]> {
    return (await this.readItems(batch)).items.map((item) => item.event);
  }

  private async readItems(batch: ConsumedMessage[]): Promise<{ items: Item<T>[]; deadLettered: DeadLetter[] }> {
    const items: Item<T>[] = [];
    const unreadable: DeadLetter[] = [];
    for (const message of batch) {
      const outcome = readMessage<FleetEventOf<T>>(message, this.types);
      if (outcome.kind === 'event') items.push({ message, event: outcome.event });
      else if (outcome.kind === 'unreadable') {
        unreadable.push(deadLetterOf(message, { group: this.group, reason: outcome.reason, error: outcome.error, attempts: 1 }));
      }
    }
    return { items, deadLettered: await this.setAside(unreadable) };
  }

  private async apply(
    items: Item<T>[],
    handle: (events: FleetEventOf<T>[]) => Promise<void>,
  ): Promise<DeadLetter[]> {
    try {
      await handle(items.map((item) => item.event));
      return [];
    } catch (error) {
      if (this.transient(error)) throw error;
      if (items.length === 1) return this.retryAlone(items[0], handle, error);
      this.logger.warn(`batch of ${items.length} failed (${describeError(error)}); handling its events one by one`);
    }
    const deadLettered: DeadLetter[] = [];
    for (let index = 0; index < items.length; index++) {
      const item = items[index];
      try {
        await handle([item.event]);
      } catch (error) {
        if (this.transient(error)) throw error;
        deadLettered.push(...(await this.retryAlone(item, handle, error)));
        // The poison is set aside: what follows goes back to batch handling.
        const rest = items.slice(index + 1);
        if (rest.length > 0) deadLettered.push(...(await this.apply(rest, handle)));
        return deadLettered;
      }
    }
    return deadLettered;
  }

  /** Retries one failed event until it succeeds, fails transiently (rethrown) or fails the same way `maxAttempts` times. */
  private async retryAlone(
    item: Item<T>,
    handle: (events: FleetEventOf<T>[]) => Promise<void>,
    firstError: unknown,
  ): Promise<DeadLetter[]> {
    let signature = errorSignature(firstError);
    let lastError = firstError;
    let sameFailures = 1;
    let attempts = 1;
    while (sameFailures < this.maxAttempts) {
      await sleep(Math.min(this.retryDelayMs * 2 ** (attempts - 1), this.maxRetryDelayMs));
      attempts += 1;
      try {
        await handle([item.event]);
        return [];
      } catch (error) {
        if (this.transient(error)) throw error;
        const next = errorSignature(error);
        // Only the same failure over and over marks the event as poison; a new one starts the count again.
        sameFailures = next === signature ? sameFailures + 1 : 1;
        signature = next;
        lastError = error;
      }
    }
    const letter = deadLetterOf(item.message, {
      group: this.group,
      reason: 'handler-failed',
      error: describeError(lastError),
      attempts,
    });
    return this.setAside([letter]);
  }

  private async setAside(letters: DeadLetter[]): Promise<DeadLetter[]> {
    if (letters.length === 0) return [];
    const stored = await this.options.deadLetters.store(letters);
    countDeadLetters(stored);
    for (const letter of letters) {
      this.logger.warn(
        `dead-lettered ${letter.topic}/${letter.partition}@${letter.offset} (key ${letter.key}) for ${this.group}: ` +
          `${letter.reason} after ${letter.attempts} attempt(s): ${letter.error}`,
      );
    }
    return letters;
  }

  private transient(error: unknown): boolean {
    return isTransientError(error) || (this.options.isTransient?.(error) ?? false);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Events a handler decides while handling events of one request carry that request's id, and so do
 * its log lines. A batch mixing requests is handled as part of none: its handler passes each
 * event's id on itself where it matters.
 */
function handleInRequestContext<E extends { requestId?: string }>(events: E[], handle: (events: E[]) => Promise<void>): Promise<void> {
  const requestId = events[0]?.requestId;
  const one = requestId !== undefined && events.every((event) => event.requestId === requestId);
  return runWithRequestId(one ? requestId : undefined, () => handle(events));
}
