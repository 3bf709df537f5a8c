import { jsonEqual, replacementPatch } from './json-merge-patch';

/** IoT Hub's twin merge, to check that a patch really produces its target. */
function merge(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const base = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as object) } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete (base as Record<string, unknown>)[key];
    else (base as Record<string, unknown>)[key] = merge((base as Record<string, unknown>)[key], value);
  }
  return base;
}

describe('replacementPatch', () => {
  it('nulls keys missing from the target at every depth', () => {
    const current = { city: 'Oslo', location: { floor: 2, room: 'a' }, gone: true };
    const target = { city: 'Rome', location: { floor: 3 } };
    const patch = replacementPatch(current, target);
    expect(patch).toEqual({ city: 'Rome', location: { floor: 3, room: null }, gone: null });
    expect(merge(current, patch)).toEqual(target);
  });

  it('replaces non-objects wholesale and writes every target key', () => {
    expect(replacementPatch('old', { a: 1 })).toEqual({ a: 1 });
    expect(replacementPatch({ a: 1 }, 5)).toBe(5);
    expect(replacementPatch({ a: 1 }, { a: 1 })).toEqual({ a: 1 });
    expect(replacementPatch(undefined, [1, 2])).toEqual([1, 2]);
  });
});

describe('jsonEqual', () => {
  it('compares structurally regardless of key order', () => {
    expect(jsonEqual({ a: 1, b: { c: [1, { d: 2 }] } }, { b: { c: [1, { d: 2 }] }, a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({ a: '1' }, { a: 1 })).toBe(false);
  });
});
