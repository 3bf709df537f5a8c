import { randomUUID } from 'node:crypto';
import { EventEnvelope } from '@fleetjobs/contracts';
import { DEVICE_SET_SOURCE } from '../device-set.schema';

export interface EventMeta {
  /** Event id; random unless the fact may be decided again on a redelivery. */
  id?: string;
  correlationId?: string;
  causationId?: string;
  time?: string;
}

/** An envelope decided by this service, version 1. */
export function deviceSetEvent<TType extends string, TData>(
  type: TType,
  subject: string,
  data: TData,
  meta: EventMeta = {},
): EventEnvelope<TType, TData> {
  return {
    id: meta.id ?? randomUUID(),
    type,
    version: 1,
    source: DEVICE_SET_SOURCE,
    subject,
    time: meta.time ?? new Date().toISOString(),
    ...(meta.correlationId ? { correlationId: meta.correlationId } : {}),
    ...(meta.causationId ? { causationId: meta.causationId } : {}),
    data,
  };
}
