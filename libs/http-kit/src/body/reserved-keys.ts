/**
 * Member names the framework would strip from a body without a word (they could reach an
 * object's prototype): a body that uses one is refused instead, naming the field.
 */
export const RESERVED_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

const RESERVED = new Set(RESERVED_KEYS);

/** The path of the first member of `value` named by a reserved key, or null when there is none. */
export function reservedKeyField(value: unknown): string | null {
  const pending: { value: unknown; path: string }[] = [{ value, path: '' }];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const { value: current, path } = item;
    if (typeof current !== 'object' || current === null) continue;
    if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index--) pending.push({ value: current[index], path: `${path}[${index}]` });
      continue;
    }
    const keys = Object.keys(current);
    const own = keys.find((key) => RESERVED.has(key));
    if (own !== undefined) return path ? `${path}.${own}` : own;
    for (let index = keys.length - 1; index >= 0; index--) {
      const key = keys[index];
      pending.push({ value: (current as Record<string, unknown>)[key], path: path ? `${path}.${key}` : key });
    }
  }
  return null;
}
