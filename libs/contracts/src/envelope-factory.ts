import { Actor } from './access/actor';
import { EventEnvelope } from './envelope';
import { currentRequestId } from './request-id';

export interface NewEnvelope<TType extends string, TData> {
  type: TType;
  /** Version of `data`'s schema for this type. */
  version: number;
  /** The deciding service, e.g. `/fleetjobs/device-set`. */
  source: string;
  /** The entity the event is about; also the message key, so per-subject order holds. */
  subject: string;
  data: TData;
  /**
   * Derive it from the fact (`${jobId}:${deviceId}:outcome`) when the fact may be decided again
   * on a redelivery or retry, so the second decision is the same event. Random otherwise.
   */
  id?: string;
  correlationId?: string;
  causationId?: string;
  /** Who sent the command that decided the event. */
  actor?: Actor;
  /** The request that led to the event; by default, the one being handled now. */
  requestId?: string;
  /** When the fact happened; the caller's clock, so the same inputs give the same envelope. */
  now: Date | string;
}

/** Builds the envelope of a new event: the one way services make envelopes. */
export function makeEnvelope<TType extends string, TData>(input: NewEnvelope<TType, TData>): EventEnvelope<TType, TData> {
  if (input.id !== undefined && input.id === '') throw new RangeError('an event id must not be empty');
  if (!input.type) throw new RangeError('an event type must not be empty');
  if (!input.subject) throw new RangeError(`the subject of ${input.type} must not be empty`);
  if (!Number.isInteger(input.version) || input.version < 1) {
    throw new RangeError(`the version of ${input.type} must be a positive integer`);
  }
  const requestId = input.requestId ?? currentRequestId();
  return {
    // globalThis.crypto, not node:crypto: contracts also run in the browser.
    id: input.id ?? globalThis.crypto.randomUUID(),
    type: input.type,
    version: input.version,
    source: input.source,
    subject: input.subject,
    time: toIsoTime(input.now),
    ...(input.correlationId ? { correlationId: input.correlationId } : {}),
    ...(input.causationId ? { causationId: input.causationId } : {}),
    ...(input.actor ? { actor: input.actor } : {}),
    ...(requestId ? { requestId } : {}),
    data: input.data,
  };
}

function toIsoTime(now: Date | string): string {
  const time = typeof now === 'string' ? new Date(now) : now;
  if (Number.isNaN(time.getTime())) throw new RangeError(`"${String(now)}" is not a time`);
  return time.toISOString();
}
