import { ValidationProblem } from '../problems/problem.exception';
import { decodeCursor, encodeCursor, MAX_CURSOR_LENGTH } from './paging';

const cursorOf = (json: string) => Buffer.from(json, 'utf8').toString('base64url');

function refusal(raw: unknown, arity: number): unknown {
  try {
    decodeCursor(raw, arity);
  } catch (error) {
    return error;
  }
  return null;
}

describe('decodeCursor', () => {
  it('gives back the sort key a list gave out', () => {
    expect(decodeCursor(encodeCursor([0, '2026-12-04T10:00:00.000Z', 'job-1']), 3)).toEqual([0, '2026-12-04T10:00:00.000Z', 'job-1']);
    expect(decodeCursor(encodeCursor(['vm-001']), 1)).toEqual(['vm-001']);
  });

  it('treats an absent or empty cursor as the first page', () => {
    expect(decodeCursor(undefined, 1)).toBeNull();
    expect(decodeCursor('', 1)).toBeNull();
  });

  it.each([
    ['garbage', 'garbage'],
    ['a string holding U+0000', cursorOf('["a\\u0000b"]')],
    ['a lone high surrogate', cursorOf('["a\\ud800"]')],
    ['a lone low surrogate', cursorOf('["\\udc00a"]')],
    ['the wrong arity', encodeCursor(['a', 'b'])],
    ['an object inside', cursorOf('[{"a":1}]')],
    ['a boolean', cursorOf('[true]')],
    ['a number too large to be finite', cursorOf('[1e400]')],
    ['a cursor given twice', ['a', 'b']],
    ['an overlong cursor', 'A'.repeat(MAX_CURSOR_LENGTH + 1)],
  ])('refuses %s as a problem naming cursor', (_label, raw) => {
    const error = refusal(raw, 1);
    expect(error).toBeInstanceOf(ValidationProblem);
    expect((error as ValidationProblem).errors).toEqual([{ field: 'cursor', message: 'is not a cursor this list gave out' }]);
  });

  it('accepts a surrogate pair, which is a whole character', () => {
    expect(decodeCursor(encodeCursor(['vm-😀']), 1)).toEqual(['vm-😀']);
  });
});
