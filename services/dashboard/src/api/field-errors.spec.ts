import { describe, expect, it } from 'vitest';
import { problemFromResponse } from './api-problem';
import { normalizeFieldPath, placeFieldErrors } from './field-errors';

describe('field errors from the API', () => {
  it.each([
    ['operations[0].value', 'operations[0].value'],
    ['operations.0.value', 'operations[0].value'],
    ['/operations/0/value', 'operations[0].value'],
    ['devices[12]', 'devices[12]'],
    ['displayName', 'displayName'],
  ])('reads %s as %s', (field, expected) => {
    expect(normalizeFieldPath(field)).toBe(expected);
  });

  it('places each error on the closest field the form shows', () => {
    const placed = placeFieldErrors(
      [
        { field: 'operations[1].value', message: 'must be a number' },
        { field: 'devices[3]', message: 'is not in the set' },
        { field: 'operations[0].value.speed', message: 'is unknown' },
        { field: 'unexpected', message: 'is not a known field' },
      ],
      ['devices', 'operations[0].value', 'operations[1].value'],
    );
    expect(placed.byField).toEqual({
      'operations[1].value': ['Must be a number'],
      devices: ['Is not in the set'],
      'operations[0].value': ['Is unknown'],
    });
    expect(placed.unplaced).toEqual([{ field: 'unexpected', message: 'is not a known field' }]);
  });

  it('parses a problem document with its errors', async () => {
    const response = new Response(
      JSON.stringify({ type: 'about:blank', title: 'Invalid request', status: 400, detail: 'The request has invalid fields.', errors: [{ field: 'displayName', message: 'must not be empty' }] }),
      { status: 400, headers: { 'content-type': 'application/problem+json' } },
    );
    const problem = await problemFromResponse(response);
    expect(problem).toMatchObject({ status: 400, title: 'Invalid request', detail: 'The request has invalid fields.' });
    expect(problem.errors).toEqual([{ field: 'displayName', message: 'must not be empty' }]);
  });

  it('still gives a readable problem when the body is not a problem document', async () => {
    const problem = await problemFromResponse(new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    expect(problem).toMatchObject({ status: 502, title: 'Bad Gateway', errors: [] });
  });
});
