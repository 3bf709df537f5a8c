import { FieldError } from './api-problem';

/** Errors keyed by the form field that shows them; `unplaced` are those no field of the form names. */
export interface PlacedErrors {
  byField: Record<string, string[]>;
  unplaced: FieldError[];
}

/**
 * Writes any of `operations.0.value`, `/operations/0/value` or `operations[0].value`
 * as `operations[0].value`, the form the dashboard keys its fields by.
 */
export function normalizeFieldPath(field: string): string {
  const segments = field.replace(/^\//, '').split(/[./]|\[|\]/).filter((s) => s !== '');
  return segments.reduce((path, segment) => {
    if (/^\d+$/.test(segment)) return `${path}[${segment}]`;
    return path ? `${path}.${segment}` : segment;
  }, '');
}

function parentPath(path: string): string | null {
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut > 0 ? path.slice(0, cut) : null;
}

/** "must be a number" reads as "Must be a number"; a message that starts with an id keeps it as is. */
function sentence(message: string): string {
  return /^[a-z]+(\s|$)/.test(message) ? message.charAt(0).toUpperCase() + message.slice(1) : message;
}

/**
 * Places each error on the closest field the form shows: `devices[3]` lands on `devices`,
 * `operations[0].value.speed` on `operations[0].value`.
 */
export function placeFieldErrors(errors: FieldError[], knownFields: Iterable<string>): PlacedErrors {
  const known = new Set(knownFields);
  const placed: PlacedErrors = { byField: {}, unplaced: [] };
  for (const error of errors) {
    let path: string | null = normalizeFieldPath(error.field);
    while (path && !known.has(path)) path = parentPath(path);
    if (path) (placed.byField[path] ??= []).push(sentence(error.message));
    else placed.unplaced.push(error);
  }
  return placed;
}

export function firstError(errors: Record<string, string[]>, field: string): string | undefined {
  return errors[field]?.[0];
}
