import { RESERVED_TAG_NAMES } from '@fleetjobs/device-gateway';
import type { FieldError } from '@fleetjobs/http-kit';
import { isJsonObject, unstorableJsonReason } from '../shared/storable-json';

import { MAX_TAGS_BYTES, twinSize, twinValueProblems } from '@fleetjobs/contracts';

export { MAX_TAGS_BYTES };

/**
 * Checks a device's tags: a JSON object of at most 4 KiB that PostgreSQL stores unchanged and an
 * IoT Hub twin holds (key names, strings, integers, depth), without the top-level names the hub's
 * twin tags reserve for Fleetjobs itself.
 */
export function validateTags(tags: unknown, field = 'tags'): FieldError[] {
  if (!isJsonObject(tags)) return [{ field, message: 'must be a JSON object' }];
  const reserved = Object.keys(tags).filter((name) => RESERVED_TAG_NAMES.includes(name));
  if (reserved.length > 0) {
    return reserved.map((name) => ({ field: `${field}.${name}`, message: `"${name}" is reserved in the hub's twin tags` }));
  }
  const bytes = Buffer.byteLength(JSON.stringify(tags), 'utf8');
  if (bytes > MAX_TAGS_BYTES) return [{ field, message: `must be at most ${MAX_TAGS_BYTES} bytes of JSON (is ${bytes})` }];
  const hubProblems = twinValueProblems(tags, 0);
  if (hubProblems.length > 0) return hubProblems.map((problem) => ({ field: `${field}${problem.path}`, message: problem.message }));
  const hubBytes = twinSize(tags);
  if (hubBytes > MAX_TAGS_BYTES) {
    return [{ field, message: `must be at most ${MAX_TAGS_BYTES} bytes as IoT Hub counts a twin, numbers 8 bytes each (is ${hubBytes})` }];
  }
  const reason = unstorableJsonReason(tags);
  return reason ? [{ field, message: reason }] : [];
}

/** Names every repeated id of a batch after its first occurrence. */
export function duplicateIdErrors(ids: readonly string[], path: string): FieldError[] {
  const first = new Map<string, number>();
  const errors: FieldError[] = [];
  ids.forEach((id, index) => {
    const seen = first.get(id);
    if (seen === undefined) first.set(id, index);
    else errors.push({ field: `${path}[${index}].id`, message: `duplicates ${path}[${seen}].id` });
  });
  return errors;
}
