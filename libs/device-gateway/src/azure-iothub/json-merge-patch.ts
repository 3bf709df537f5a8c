/** JSON values as IoT Hub twins hold them. */
export type JsonObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A twin patch that turns `current` into exactly `target`: twin patches merge objects
 * recursively and delete keys set to `null`, so keys of `current` missing from `target` are
 * nulled, at every depth. Every key of `target` is written, so the patch is never empty.
 */
export function replacementPatch(current: unknown, target: unknown): unknown {
  if (!isPlainObject(target) || !isPlainObject(current)) return target;
  const patch: JsonObject = {};
  for (const [key, value] of Object.entries(target)) patch[key] = replacementPatch(current[key], value);
  for (const key of Object.keys(current)) if (!(key in target)) patch[key] = null;
  return patch;
}

/** Structural equality of JSON values (key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => jsonEqual(item, b[index]));
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => key in b && jsonEqual(a[key], b[key]));
}
