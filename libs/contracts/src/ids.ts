/** Ids of templates, devices, sets and jobs (PRODUCT.md §2). */
export const ID_PATTERN = /^[A-Za-z0-9\-_.:]{1,128}$/;

export function isValidId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}
