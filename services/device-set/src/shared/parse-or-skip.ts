import { Logger } from '@nestjs/common';
import { FleetEvent, parseWireMessage } from '@fleetjobs/contracts';
import { ConsumedMessage } from '@fleetjobs/messaging';

/**
 * The event, or `null` for types this release does not know and for malformed data: a
 * message no release can read must not block its partition forever.
 */
export function parseOrSkip(message: ConsumedMessage, logger: Logger): FleetEvent | null {
  try {
    return parseWireMessage(message);
  } catch (error) {
    logger.error(`skipping unreadable message ${message.topic}/${message.partition}@${message.offset}: ${String(error)}`);
    return null;
  }
}
