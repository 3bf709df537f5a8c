import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export const REPOSITORY_ROOT = join(__dirname, '..', '..');

/** Suites that start their own systems need dist/ built once before they run. */
export default async function buildOnce(): Promise<void> {
  execFileSync(process.execPath, [join(REPOSITORY_ROOT, 'tools', 'build.mjs')], { stdio: 'inherit' });
}
