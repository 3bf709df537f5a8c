import { Logger } from '@nestjs/common';
import { FleetEvent, parseWireMessage } from '@fleetjobs/contracts';
import type { ConsumedMessage } from '@fleetjobs/messaging';
import { skippedEvents } from './projection.metrics';

const logger = new Logger('ProjectionConsumer');

/**
 * Parses a consumed batch. Unknown types are skipped (newer producers); a message of a known type
 * with malformed data is logged and skipped too, since redelivering it could never succeed.
 */
export function parseBatch(batch: ConsumedMessage[]): FleetEvent[] {
  const events: FleetEvent[] = [];
  for (const message of batch) {
    try {
      const event = parseWireMessage(message);
      if (event) events.push(event);
    } catch (error) {
      skippedEvents.inc({ topic: message.topic });
      logger.warn(`skipping malformed message ${message.topic}/${message.partition}@${message.offset}: ${String(error)}`);
    }
  }
  return events;
}
