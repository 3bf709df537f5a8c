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

export function decodeCursor(raw: unknown, arity: number): unknown[] | null {
  if (raw === undefined || raw === '') return null;
  try {
    const position = JSON.parse(Buffer.from(String(raw), 'base64url').toString('utf8'));
    if (Array.isArray(position) && position.length === arity) return position;
  } catch {
    // falls through to the problem below
  }
  throw new ValidationProblem([{ field: 'cursor', message: 'is not a cursor this list gave out' }]);
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
