import { describe, expect, it } from 'vitest';
import { formatConditionValue, parseConditionValue } from './condition-value';

describe('condition values', () => {
  it('reads numbers and booleans as such, other text as a string', () => {
    expect(parseConditionValue('gt', '10')).toEqual({ ok: true, value: 10 });
    expect(parseConditionValue('eq', 'true')).toEqual({ ok: true, value: true });
    expect(parseConditionValue('eq', 'Seattle')).toEqual({ ok: true, value: 'Seattle' });
    expect(parseConditionValue('eq', '"42"')).toEqual({ ok: true, value: '42' });
  });

  it('reads a list for in, separated by commas or as JSON', () => {
    expect(parseConditionValue('in', 'Seattle, Portland')).toEqual({ ok: true, value: ['Seattle', 'Portland'] });
    expect(parseConditionValue('in', '["a,b", 3]')).toEqual({ ok: true, value: ['a,b', 3] });
  });

  it('refuses an empty value', () => {
    expect(parseConditionValue('eq', '  ').ok).toBe(false);
  });

  it.each([['Seattle'], ['42'], [42], [true], [['Seattle', 'Portland']], [['a,b', 'c']], [{ nested: 1 }]])('writes %j so that it reads back the same', (value) => {
    const operator = Array.isArray(value) ? 'in' : 'eq';
    expect(parseConditionValue(operator, formatConditionValue(value))).toEqual({ ok: true, value });
  });
});
