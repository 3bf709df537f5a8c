import { CE_HEADERS, FleetEvent, fromWireMessage, parseEvent, WireMessage } from '@fleetjobs/contracts';
import { describeError } from './error-classification';
import type { DeadLetterReason } from './dead-letter';

/** What one consumed message is to a consumer. */
export type ReadOutcome<E extends FleetEvent = FleetEvent> =
  | { kind: 'event'; event: E }
  /** Of a type the consumer does not want, or unknown to this release (a newer producer): passed over. */
  | { kind: 'ignored' }
  /** Can never be read: dead-letter it. */
  | { kind: 'unreadable'; reason: Extract<DeadLetterReason, 'unreadable-envelope' | 'invalid-data'>; error: string };

/**
 * Reads a message with the contracts' parser. With `types`, messages whose type header names
 * another type are passed over without parsing their value.
 */
export function readMessage<E extends FleetEvent = FleetEvent>(
  message: Pick<WireMessage, 'headers' | 'value'>,
  types?: ReadonlySet<string>,
): ReadOutcome<E> {
  const declared = message.headers[CE_HEADERS.type];
  if (types && declared && !types.has(declared)) return { kind: 'ignored' };
  const envelope = fromWireMessage(message);
  if (!envelope) {
    const error = declared ? 'the value is not JSON or the CloudEvents headers are incomplete' : 'not a CloudEvent: no ce_type header';
    return { kind: 'unreadable', reason: 'unreadable-envelope', error };
  }
  let event: FleetEvent | null;
  try {
    event = parseEvent(envelope);
  } catch (error) {
    return { kind: 'unreadable', reason: 'invalid-data', error: describeError(error) };
  }
  if (!event || (types && !types.has(event.type))) return { kind: 'ignored' };
  return { kind: 'event', event: event as E };
}
