import { EventPattern } from '@nestjs/microservices';

/** What a consumer method subscribes to: one topic, read by one consumer group. */
export interface ConsumedStream {
  topic: string;
  group: string;
}

/**
 * Marks a method as the batch handler of `topic` for consumer group `group`. The method gets a
 * `ConsumedMessage[]` of one partition, in order; its position is committed after it resolves.
 */
export function ConsumeEvents(topic: string, group: string): MethodDecorator {
  const stream: ConsumedStream = { topic, group };
  return EventPattern(stream);
}
