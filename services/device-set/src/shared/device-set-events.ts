import { Actor, EventEnvelope, makeEnvelope } from '@fleetjobs/contracts';
import { DEVICE_SET_SOURCE } from '../device-set.schema';

export interface EventMeta {
  /** Event id; random unless the fact may be decided again on a redelivery. */
  id?: string;
  correlationId?: string;
  causationId?: string;
  /** Who sent the command that decided the event; absent on events the service decided by itself. */
  actor?: Actor;
  time?: string;
}

/** An envelope decided by this service, version 1. */
export function deviceSetEvent<TType extends string, TData>(
  type: TType,
  subject: string,
  data: TData,
  meta: EventMeta = {},
): EventEnvelope<TType, TData> {
  return makeEnvelope({
    type,
    version: 1,
    source: DEVICE_SET_SOURCE,
    subject,
    data,
    id: meta.id,
    correlationId: meta.correlationId,
    causationId: meta.causationId,
    actor: meta.actor,
    now: meta.time ?? new Date(),
  });
}
