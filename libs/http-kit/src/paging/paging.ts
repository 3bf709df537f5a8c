import { isStorableString } from '../pipes/field-validators';
import { ValidationProblem } from '../problems/problem.exception';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/** `{value, nextCursor}`: the shape of every list answer. */
export interface Page<T> {
  value: T[];
  nextCursor: string | null;
}

export function parseLimit(raw: unknown): number {
  if (raw === undefined || raw === '') return DEFAULT_PAGE_SIZE;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new ValidationProblem([{ field: 'limit', message: `must be an integer from 1 to ${MAX_PAGE_SIZE}` }]);
  }
  return limit;
}

/** Cursors are opaque to clients: base64url JSON of the last row's sort key. */
export function encodeCursor(position: unknown[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** Longer than any cursor a list gives out (its sort key holds an id of at most 128 characters and a timestamp). */
export const MAX_CURSOR_LENGTH = 1024;

/**
 * The sort key a cursor holds, or null for none. Only what a list could have given out passes:
 * `arity` strings, finite numbers or nulls, each string storable (no U+0000, no unpaired
 * surrogate), so that no cursor makes a query fail.
 */
export function decodeCursor(raw: unknown, arity: number): unknown[] | null {
  if (raw === undefined || raw === '') return null;
  try {
    if (typeof raw !== 'string' || raw.length > MAX_CURSOR_LENGTH) throw new TypeError('not a cursor');
    const position: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(position) && position.length === arity && position.every(isCursorPart)) return position;
  } catch {
    // falls through to the problem below
  }
  throw new ValidationProblem([{ field: 'cursor', message: 'is not a cursor this list gave out' }]);
}

function isCursorPart(part: unknown): boolean {
  if (typeof part === 'string') return part.length <= MAX_CURSOR_LENGTH && isStorableString(part);
  if (typeof part === 'number') return Number.isFinite(part);
  return part === null;
}

/** Takes `limit + 1` rows and turns them into a page and the cursor of its last row. */
export function toPage<TRow, TItem>(
  rows: TRow[],
  limit: number,
  toItem: (row: TRow) => TItem,
  sortKey: (row: TRow) => unknown[],
): Page<TItem> {
  const pageRows = rows.slice(0, limit);
  const last = pageRows[pageRows.length - 1];
  return {
    value: pageRows.map(toItem),
    nextCursor: rows.length > limit && last ? encodeCursor(sortKey(last)) : null,
  };
}
