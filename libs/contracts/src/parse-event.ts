import { ACCESS_EVENT_READERS, AccessTopicEvent } from './access/access-events';
import { DataReader } from './data-reader';
import { EventEnvelope, fromWireMessage, WireMessage } from './envelope';
import { DEVICE_EVENT_READERS, DeviceTopicEvent } from './devices/device-events';
import { JOB_EVENT_READERS, JobTopicEvent } from './jobs/job-events';
import { upcast } from './upcasters';

export type FleetEvent = JobTopicEvent | DeviceTopicEvent | AccessTopicEvent;

const READERS: Record<string, (r: DataReader) => unknown> = { ...JOB_EVENT_READERS, ...DEVICE_EVENT_READERS, ...ACCESS_EVENT_READERS };

/** Current schema version of every event type this release writes. */
export const CURRENT_EVENT_VERSION = 1;

/**
 * Validates an envelope's data and upcasts older versions to the current shape.
 * Returns `null` for event types this release does not know, so that newer producers
 * never break older consumers; throws for a known type whose data is malformed.
 */
export function parseEvent(envelope: EventEnvelope): FleetEvent | null {
  const read = READERS[envelope.type];
  if (!read) return null;
  const current = upcast(envelope);
  const data = read(new DataReader(envelope.type, current.data));
  return { ...current, version: CURRENT_EVENT_VERSION, data } as FleetEvent;
}

/** `parseEvent` straight from a wire message; `null` for foreign or unknown messages. */
export function parseWireMessage(message: Pick<WireMessage, 'headers' | 'value'>): FleetEvent | null {
  const envelope = fromWireMessage(message);
  return envelope ? parseEvent(envelope) : null;
}
