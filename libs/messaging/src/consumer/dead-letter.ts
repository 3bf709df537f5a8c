import type { WireMessage } from '@fleetjobs/contracts';

/**
 * Why a message was set aside:
 * - `unreadable-envelope`: not a CloudEvent of ours, or its value is not JSON;
 * - `invalid-data`: a known event type whose data does not parse;
 * - `handler-failed`: it parses, but handling it failed the same way on every attempt;
 * - `rejected-by-log`: the event log refused to store it (too large, invalid), from the outbox.
 */
export type DeadLetterReason = 'unreadable-envelope' | 'invalid-data' | 'handler-failed' | 'rejected-by-log';

/** A message no retry can get through, kept for an operator to inspect or replay. */
export interface DeadLetter {
  /** Consumer group that gave up on it; `outbox` for messages the relay could not publish. */
  group: string;
  topic: string;
  /** Position in the log; null for a message that never reached it (outbox). */
  partition: number | null;
  offset: string | null;
  key: string;
  headers: Record<string, string>;
  /** The value, cut to `MAX_DEAD_LETTER_VALUE_BYTES`. */
  value: string;
  /** Size of the original value in bytes, before any cut. */
  valueBytes: number;
  reason: DeadLetterReason;
  /** The last error, one line. */
  error: string;
  /** How many times handling or publishing was tried. */
  attempts: number;
}

/** Where a service keeps its dead letters (its own schema's `dead_letters` table). */
export interface DeadLetterStore {
  /**
   * Stores the letters; a letter for a position already stored (a redelivered batch) is ignored.
   * Resolves to the letters actually added.
   */
  store(letters: DeadLetter[]): Promise<DeadLetter[]>;
}

/** Dead letters keep at most this much of a value: enough to diagnose, bounded however large the message. */
export const MAX_DEAD_LETTER_VALUE_BYTES = 64 * 1024;
const MAX_HEADER_CHARS = 1024;
const MAX_ERROR_CHARS = 2000;

/** Builds a dead letter of a message, bounded in size and safe to store as PostgreSQL text. */
export function deadLetterOf(
  message: WireMessage & { partition?: number | null; offset?: string | null },
  details: { group: string; reason: DeadLetterReason; error: string; attempts: number },
): DeadLetter {
  const valueBytes = Buffer.byteLength(message.value);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    headers[storable(name).slice(0, MAX_HEADER_CHARS)] = storable(value).slice(0, MAX_HEADER_CHARS);
  }
  return {
    group: details.group,
    topic: message.topic,
    partition: message.partition ?? null,
    offset: message.offset ?? null,
    key: storable(message.key).slice(0, MAX_HEADER_CHARS),
    headers,
    value: storable(cutToBytes(message.value, MAX_DEAD_LETTER_VALUE_BYTES)),
    valueBytes,
    reason: details.reason,
    error: storable(details.error).slice(0, MAX_ERROR_CHARS),
    attempts: details.attempts,
  };
}

/** PostgreSQL text cannot hold NUL; a malformed message may. */
function storable(text: string): string {
  return text.includes('\u0000') ? text.replace(/\u0000/g, '\uFFFD') : text;
}

function cutToBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  // Cutting the bytes may split a character; dropping the partial one keeps the text valid.
  return Buffer.from(text).subarray(0, maxBytes).toString('utf8').replace(/\uFFFD$/, '');
}
