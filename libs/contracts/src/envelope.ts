import { Actor, readActor } from './access/actor';

/**
 * One event as the services exchange it. On Kafka it travels in the CloudEvents 1.0 binary binding:
 * the attributes below become `ce_*` headers and `data` is the JSON message value.
 */
export interface EventEnvelope<TType extends string = string, TData = unknown> {
  /** Unique per fact; a redelivery carries the same id, so consumers dedupe on it. */
  id: string;
  /** The event's name, e.g. `JobCreated`. Never derived from a class name. */
  type: TType;
  /** Version of the data schema for this type; bumped on any change but an added optional field. */
  version: number;
  /** The service that decided the event, e.g. `/fleetjobs/job-command`. */
  source: string;
  /** The entity the event is about (job id, device id…); also the Kafka message key. */
  subject: string;
  /** When the fact happened, ISO 8601. */
  time: string;
  /** The request or event that started the chain this event belongs to. */
  correlationId?: string;
  /** The event or command that directly caused this one. */
  causationId?: string;
  /** Who sent the command the event records; absent on events the system decided by itself. */
  actor?: Actor;
  /** The API request whose handling decided this event, directly or through the events it caused. */
  requestId?: string;
  data: TData;
}

export const CLOUDEVENTS_SPEC_VERSION = '1.0';

/** Header names of the CloudEvents Kafka binary binding, plus this product's extensions. */
export const CE_HEADERS = {
  specVersion: 'ce_specversion',
  id: 'ce_id',
  source: 'ce_source',
  type: 'ce_type',
  subject: 'ce_subject',
  time: 'ce_time',
  eventVersion: 'ce_eventversion',
  correlationId: 'ce_correlationid',
  causationId: 'ce_causationid',
  contentType: 'content-type',
  actor: 'ce_actor',
  actorName: 'ce_actorname',
  actorRole: 'ce_actorrole',
  actorAddress: 'ce_actoraddress',
  requestId: 'ce_requestid',
} as const;

/** A message as carried by the event log: key, string headers and a JSON value. */
export interface WireMessage {
  topic: string;
  key: string;
  headers: Record<string, string>;
  value: string;
}

export function toWireMessage(topic: string, envelope: EventEnvelope): WireMessage {
  const headers: Record<string, string> = {
    [CE_HEADERS.specVersion]: CLOUDEVENTS_SPEC_VERSION,
    [CE_HEADERS.id]: envelope.id,
    [CE_HEADERS.source]: envelope.source,
    [CE_HEADERS.type]: envelope.type,
    [CE_HEADERS.subject]: envelope.subject,
    [CE_HEADERS.time]: envelope.time,
    [CE_HEADERS.eventVersion]: String(envelope.version),
    [CE_HEADERS.contentType]: 'application/json',
  };
  if (envelope.correlationId) headers[CE_HEADERS.correlationId] = envelope.correlationId;
  if (envelope.causationId) headers[CE_HEADERS.causationId] = envelope.causationId;
  if (envelope.requestId) headers[CE_HEADERS.requestId] = envelope.requestId;
  if (envelope.actor) {
    headers[CE_HEADERS.actor] = envelope.actor.id;
    headers[CE_HEADERS.actorName] = envelope.actor.name;
    headers[CE_HEADERS.actorRole] = envelope.actor.role;
    if (envelope.actor.address) headers[CE_HEADERS.actorAddress] = envelope.actor.address;
  }
  return { topic, key: envelope.subject, headers, value: JSON.stringify(envelope.data) };
}

/** Reads the envelope back from a wire message; `null` when it is not a CloudEvent of ours. */
export function fromWireMessage(message: Pick<WireMessage, 'headers' | 'value'>): EventEnvelope | null {
  const h = message.headers;
  const type = h[CE_HEADERS.type];
  const id = h[CE_HEADERS.id];
  if (!type || !id || h[CE_HEADERS.specVersion] !== CLOUDEVENTS_SPEC_VERSION) return null;
  let data: unknown;
  try {
    data = JSON.parse(message.value);
  } catch {
    return null;
  }
  return {
    id,
    type,
    version: Number(h[CE_HEADERS.eventVersion] ?? '1'),
    source: h[CE_HEADERS.source] ?? '',
    subject: h[CE_HEADERS.subject] ?? '',
    time: h[CE_HEADERS.time] ?? '',
    correlationId: h[CE_HEADERS.correlationId],
    causationId: h[CE_HEADERS.causationId],
    ...actorOf(h),
    ...(h[CE_HEADERS.requestId] ? { requestId: h[CE_HEADERS.requestId] } : {}),
    data,
  };
}

function actorOf(h: Record<string, string>): { actor?: Actor } {
  const actor = readActor({ id: h[CE_HEADERS.actor], name: h[CE_HEADERS.actorName], role: h[CE_HEADERS.actorRole], address: h[CE_HEADERS.actorAddress] });
  return actor ? { actor } : {};
}
