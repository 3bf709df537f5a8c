/**
 * Size limits of the public API, in one place. They are chosen so that no event the API can cause
 * outgrows one Kafka message: the largest valid job definition, device, template or set, with its
 * CloudEvents headers, stays well under the broker's default `message.max.bytes` (1 MiB).
 * `limits.spec.ts` builds the worst case of each and checks it.
 */

/** Kafka's default largest message (`message.max.bytes` / producer `max.request.size`). */
export const BROKER_MESSAGE_LIMIT_BYTES = 1_048_576;
/** Room kept for the key, the `ce_*` headers and record framing of one message. */
export const MESSAGE_HEADER_ROOM_BYTES = 16 * 1024;
/** The largest JSON value one event may carry. */
export const MAX_EVENT_DATA_BYTES = BROKER_MESSAGE_LIMIT_BYTES - MESSAGE_HEADER_ROOM_BYTES;

// Jobs (PUT/POST /api/jobs).
export const MAX_JOB_DISPLAY_NAME = 200;
export const MAX_JOB_DESCRIPTION = 2000;
export const MAX_OPERATIONS = 20;
/** Longest operation name; capability names are at most as long. */
export const MAX_OPERATION_NAME = 128;
/** One operation's value, serialized as UTF-8 JSON: of the order of IoT Hub's twin and method budgets. */
export const MAX_OPERATION_VALUE_BYTES = 32 * 1024;
/** All operations of a job together, serialized as UTF-8 JSON. */
export const MAX_OPERATIONS_BYTES = 128 * 1024;
/** Most devices an explicit job subset names... */
export const MAX_EXPLICIT_DEVICES = 10_000;
/** ...and the most bytes that list may take as a JSON array (10,000 ids of up to ~50 characters). */
export const MAX_EXPLICIT_DEVICES_BYTES = 512 * 1024;

// Devices, templates and sets (the device catalogue).
export const MAX_DISPLAY_NAME = 256;
/** Most devices one `POST /api/devices/batch` may create or update. */
export const MAX_BATCH_DEVICES = 10_000;
/**
 * Largest tags document of one device, both as UTF-8 JSON and as IoT Hub counts a twin
 * (hub-limits.ts): the hub's twin tags hold 8 KB, shared with Fleetjobs' own `fleetjobs` tag (under
 * 1 KiB) and the device's properties (the rest, at least 3 KiB).
 */
export const MAX_TAGS_BYTES = 4 * 1024;
/** One property operation's name and value as IoT Hub counts them, within the properties' share of the twin tags. */
export const MAX_PROPERTY_TWIN_BYTES = 2 * 1024;
export const MAX_CAPABILITIES = 1000;
export const MAX_CAPABILITY_NAME = 128;
/** A set holds 1 to 20 conditions... */
export const MIN_CONDITIONS = 1;
export const MAX_CONDITIONS = 20;
/** ...of which a string compares with at most this many characters, an `in` lists at most this many values... */
export const MAX_CONDITION_STRING = 1024;
export const MAX_IN_VALUES = 1000;
/** ...and which together take at most this many bytes of UTF-8 JSON. */
export const MAX_CONDITIONS_BYTES = 64 * 1024;

// Request bodies, before any field is read.
/** Any request body; a batch of 10,000 devices with modest tags fits. */
export const MAX_REQUEST_BODY_BYTES = 16 * 1024 * 1024;
/**
 * A job's body: the largest valid definition, generously formatted, fits, and a body a few times
 * larger is still read, so that the answer names the oversized field rather than just the body.
 */
export const MAX_JOB_REQUEST_BODY_BYTES = 4 * 1024 * 1024;

/** How many bytes `value` takes as UTF-8 JSON (`undefined` and functions take none). */
export function jsonBytes(value: unknown): number {
  const text = JSON.stringify(value) as string | undefined;
  return text === undefined ? 0 : utf8Bytes(text);
}

/** UTF-8 length of a string, without encoding it (Node's counter where there is one; this module also runs in browsers). */
export function utf8Bytes(text: string): number {
  if (typeof Buffer !== 'undefined') return Buffer.byteLength(text, 'utf8');
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
