import { randomBytes } from 'node:crypto';

/**
 * A fresh bootstrap administrator API token for a system started by a test or a benchmark:
 * the system stores only its hash (`FLEETJOBS_ADMIN_TOKEN`), the caller keeps it to act as an
 * administrator.
 */
export function newAdminToken(): string {
  return `fjt_bootstrap_${randomBytes(32).toString('base64url')}`;
}
