import { deadLetterOf, MAX_DEAD_LETTER_VALUE_BYTES } from './dead-letter';

const details = { group: 'g', reason: 'invalid-data' as const, error: 'bad', attempts: 1 };

describe('deadLetterOf', () => {
  it('keeps a small message whole, with its position', () => {
    const letter = deadLetterOf({ topic: 't', key: 'k', headers: { a: 'b' }, value: '{"x":1}', partition: 2, offset: '9' }, details);
    expect(letter).toEqual({ ...details, topic: 't', key: 'k', headers: { a: 'b' }, value: '{"x":1}', valueBytes: 7, partition: 2, offset: '9' });
  });

  it('cuts a large value to the bound but records its real size', () => {
    const value = 'é'.repeat(MAX_DEAD_LETTER_VALUE_BYTES); // two bytes each
    const letter = deadLetterOf({ topic: 't', key: 'k', headers: {}, value }, details);
    expect(Buffer.byteLength(letter.value)).toBeLessThanOrEqual(MAX_DEAD_LETTER_VALUE_BYTES);
    expect(letter.value).toBe('é'.repeat(MAX_DEAD_LETTER_VALUE_BYTES / 2));
    expect(letter.valueBytes).toBe(2 * MAX_DEAD_LETTER_VALUE_BYTES);
    expect(letter.partition).toBeNull();
  });

  it('replaces NUL characters, which PostgreSQL text cannot hold', () => {
    const letter = deadLetterOf({ topic: 't', key: 'k\u0000', headers: { h: '\u0000' }, value: 'a\u0000b' }, details);
    expect([letter.key, letter.headers.h, letter.value].join('')).not.toContain('\u0000');
  });
});
