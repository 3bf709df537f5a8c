import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A fresh bootstrap administrator API token for a system started by a test, a benchmark or the
 * quick start: the system stores only its hash (`FLEETJOBS_ADMIN_TOKEN`), the caller keeps it to
 * act as an administrator.
 */
export function newAdminToken(): string {
  return `fjt_bootstrap_${randomBytes(32).toString('base64url')}`;
}

/** Where a new data directory keeps its first administrator token, readable by its owner only. */
export const INITIAL_ADMIN_TOKEN_FILE = 'initial-admin-token';

/**
 * The administrator API token a local run stores on start (as `FLEETJOBS_ADMIN_TOKEN`): the one
 * given in the environment, else the one made on the data directory's first start, else a new
 * one. `created` says whether it was made now, so it is announced once.
 */
export function initialAdminToken(dataDir: string, fromEnv: string | undefined): { token: string; created: boolean; file: string } {
  const file = join(dataDir, INITIAL_ADMIN_TOKEN_FILE);
  if (fromEnv) return { token: fromEnv, created: false, file };
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), created: false, file };
  mkdirSync(dataDir, { recursive: true });
  const token = newAdminToken();
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, created: true, file };
}
