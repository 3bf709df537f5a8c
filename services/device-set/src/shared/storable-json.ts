/** Deepest nesting accepted in free JSON (tags, condition and operation values). */
export const MAX_JSON_DEPTH = 32;

// PostgreSQL text and jsonb cannot hold U+0000, and jsonb rejects a lone UTF-16 surrogate escape.
const UNSTORABLE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether PostgreSQL can store the string in `text` and `jsonb` columns unchanged. */
export function isStorableText(value: string): boolean {
  return !UNSTORABLE_TEXT.test(value);
}

/**
 * Why a free JSON value cannot be stored and read back unchanged, or `null` when it can.
 * Checked before any write, so that the database never rejects a request's data.
 */
export function unstorableJsonReason(value: unknown, maxDepth = MAX_JSON_DEPTH): string | null {
  return check(value, 0, maxDepth);
}

function check(value: unknown, depth: number, maxDepth: number): string | null {
  if (typeof value === 'string') return isStorableText(value) ? null : 'must not contain U+0000 or unpaired surrogates';
  if (typeof value === 'number') return Number.isFinite(value) ? null : 'numbers must be finite';
  if (value === null || typeof value === 'boolean') return null;
  if (typeof value !== 'object') return 'must be JSON';
  if (depth >= maxDepth) return `must not nest deeper than ${maxDepth} levels`;
  if (Array.isArray(value)) {
    for (const item of value) {
      const reason = check(item, depth + 1, maxDepth);
      if (reason) return reason;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    if (!isStorableText(key)) return 'keys must not contain U+0000 or unpaired surrogates';
    const reason = check(item, depth + 1, maxDepth);
    if (reason) return reason;
  }
  return null;
}

/** A JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
