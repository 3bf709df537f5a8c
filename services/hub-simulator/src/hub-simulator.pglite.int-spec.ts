import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** Lets a child `node` run the TypeScript sources under test (see tools/jest/swc-register.js). */
const SWC_REGISTER = join(__dirname, '../../..', 'tools', 'jest', 'swc-register.js');

const fixtures = join(__dirname, 'testing', '__fixtures__');

/**
 * Only a guard against a hung child: a cold PGlite start alone takes ~20 s of a loaded two-core
 * machine, and nothing in the scenario waits on time.
 */
const HANG_GUARD_MS = 170_000;

// The embedded mode keeps the simulator's state in PGlite: the same SQL must hold there.
describe('hub simulator on embedded PostgreSQL (PGlite)', () => {
  it('serves registry sync, settings (fast and slow), properties and commands', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--experimental-vm-modules', '--no-warnings', '-r', SWC_REGISTER, join(fixtures, 'pglite-scenario.ts')],
      { timeout: HANG_GUARD_MS },
    );
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
    expect(result).toEqual({
      pageSizes: [15, 15, 10],
      outcomes: [{ ok: true }, { ok: true }, { ok: true }, { ok: true }],
      devices: 39,
      slowDevicePatches: 1,
    });
  }, HANG_GUARD_MS + 10_000);
});
