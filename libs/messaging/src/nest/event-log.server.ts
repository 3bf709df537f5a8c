import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { ConsumedMessage, EventLog, Subscription } from '../event-log.port';
import { ConsumedStream } from './consume-events.decorator';

/**
 * A Nest microservice transport over the `EventLog` port. Each `@ConsumeEvents(topic, group)`
 * handler becomes one subscription; handlers of one group are grouped into one subscription, so
 * that a process hosting several services (embedded mode) runs one independent consumer per service.
 */
export class EventLogServer extends Server implements CustomTransportStrategy {
  private readonly subscriptions: Subscription[] = [];
  private readonly log = new Logger(EventLogServer.name);

  constructor(
    private readonly eventLog: EventLog,
    private readonly options: { maxBatchSize?: number } = {},
  ) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const byGroup = new Map<string, Map<string, (batch: ConsumedMessage[]) => Promise<void>>>();
      for (const [pattern, handler] of this.getHandlers()) {
        const stream = JSON.parse(pattern) as ConsumedStream;
        const topics = byGroup.get(stream.group) ?? new Map();
        topics.set(stream.topic, async (batch: ConsumedMessage[]) => {
          for (let next: MessageHandler | undefined = handler; next; next = next.next) {
            const result = await next(batch);
            if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
          }
        });
        byGroup.set(stream.group, topics);
      }
      for (const [groupId, topics] of byGroup) {
        const subscription = await this.eventLog.subscribe({
          groupId,
          topics: [...topics.keys()],
          maxBatchSize: this.options.maxBatchSize,
          handleBatch: async (batch) => {
            const handle = topics.get(batch[0]?.topic ?? '');
            if (handle) await handle(batch);
          },
        });
        this.subscriptions.push(subscription);
        this.log.log(`consuming ${[...topics.keys()].join(', ')} as ${groupId}`);
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.subscriptions.splice(0).map((subscription) => subscription.stop()));
  }

  /** Subscriptions for readiness and lag metrics. */
  get activeSubscriptions(): readonly Subscription[] {
    return this.subscriptions;
  }

  on(): void {
    // The event log reports its state through subscriptions, not server events.
  }

  unwrap<T>(): T {
    return this.eventLog as T;
  }
}
