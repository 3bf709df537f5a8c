import { randomBytes } from 'node:crypto';

/** An id no earlier run used, so that tests share the running system without clashing. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}
