import { describe, expect, it } from 'vitest';
import { parseOperationValue } from './operation-value';

describe('operation values by schema', () => {
  it.each([
    ['number', '5', 5],
    ['number', ' -2.5 ', -2.5],
    ['string', 'Pike Place', 'Pike Place'],
    ['string', '', ''],
    ['boolean', 'true', true],
    ['boolean', 'false', false],
    ['object', '{"delay": 5}', { delay: 5 }],
  ] as const)('a %s accepts %j', (schema, text, value) => {
    expect(parseOperationValue(schema, text)).toEqual({ ok: true, value });
  });

  it.each([
    ['number', ''],
    ['number', 'fast'],
    ['number', 'Infinity'],
    ['boolean', ''],
    ['object', '[1, 2]'],
    ['object', 'null'],
    ['object', '{delay: 5}'],
  ] as const)('a %s refuses %j', (schema, text) => {
    expect(parseOperationValue(schema, text).ok).toBe(false);
  });
});
