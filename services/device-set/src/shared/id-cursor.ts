import { decodeCursor, ValidationProblem } from '@fleetjobs/http-kit';

/** The id after which a page ordered by id starts: '' for the first page. */
export function idCursor(raw: unknown): string {
  const position = decodeCursor(raw, 1);
  if (position === null) return '';
  if (typeof position[0] !== 'string') {
    throw new ValidationProblem([{ field: 'cursor', message: 'is not a cursor this list gave out' }]);
  }
  return position[0];
}
