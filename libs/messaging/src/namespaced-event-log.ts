import { WireMessage } from '@fleetjobs/contracts';
import { EventLog, SubscribeOptions, Subscription } from './event-log.port';

/**
 * Gives every topic and consumer group a prefix (`<namespace>.fleetjobs.jobs`), so that several
 * deployments, or test runs, can share one broker without reading each other's events. Handlers
 * see the topic names of the contract, unprefixed.
 */
export class NamespacedEventLog implements EventLog {
  private readonly prefix: string;

  constructor(
    private readonly inner: EventLog,
    namespace: string,
  ) {
    this.prefix = `${namespace}.`;
  }

  ensureTopics(topics: string[], partitions: number): Promise<void> {
    return this.inner.ensureTopics(topics.map((topic) => this.prefix + topic), partitions);
  }

  publish(messages: WireMessage[]): Promise<void> {
    return this.inner.publish(messages.map((message) => ({ ...message, topic: this.prefix + message.topic })));
  }

  subscribe(options: SubscribeOptions): Promise<Subscription> {
    return this.inner.subscribe({
      ...options,
      groupId: this.prefix + options.groupId,
      topics: options.topics.map((topic) => this.prefix + topic),
      handleBatch: (batch) =>
        options.handleBatch(batch.map((message) => ({ ...message, topic: message.topic.slice(this.prefix.length) }))),
    });
  }

  ping(): Promise<boolean> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
