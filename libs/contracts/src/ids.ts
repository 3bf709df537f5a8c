/**
 * Ids of templates, devices, sets and jobs (PRODUCT.md §2): 1 to 128 letters, digits, `-`, `_`,
 * `.` or `:`, and never `.` or `..` alone, which cannot stand as a path segment (of a URL or of
 * the hub's registry).
 */
export const ID_PATTERN = /^(?!\.\.?$)[A-Za-z0-9\-_.:]{1,128}$/;

/** How an invalid id is explained, after the field's name. */
export const ID_RULE = 'must be 1 to 128 letters, digits, "-", "_", "." or ":", and not "." or ".." alone';

export function isValidId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}
