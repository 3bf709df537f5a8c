import { EventEnvelope } from './envelope';

/**
 * Upcasters turn an older version of an event's data into the next one, keyed `Type@version`.
 * Every type is at version 1 today; when a type's schema changes, its old shape gets an entry
 * here (with a stored fixture test) and the reader in the type's file reads the new shape.
 */
export const UPCASTERS: Record<string, (data: unknown) => unknown> = {};

export function upcast(envelope: EventEnvelope): EventEnvelope {
  let current = envelope;
  for (;;) {
    const step = UPCASTERS[`${current.type}@${current.version}`];
    if (!step) return current;
    current = { ...current, version: current.version + 1, data: step(current.data) };
  }
}
