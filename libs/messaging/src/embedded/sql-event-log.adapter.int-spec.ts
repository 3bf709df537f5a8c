import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deliveryScenarios } from './__fixtures__/event-log-delivery.scenarios';
import { eventLogHarness, range } from './__fixtures__/event-log-harness';
import { isolationScenarios } from './__fixtures__/event-log-isolation.scenarios';
import { LogDatabase, pgliteLogDatabase, postgresLogDatabase } from './__fixtures__/log-database';

/** Lets a child `node` run the TypeScript sources under test (see tools/jest/swc-register.js). */
const SWC_REGISTER = join(__dirname, '../../../..', 'tools', 'jest', 'swc-register.js');

// The same behaviour is required of the log on a PostgreSQL server and on the embedded PGlite.
describe.each([
  ['PostgreSQL', postgresLogDatabase],
  ['PGlite', pgliteLogDatabase],
])('SqlEventLog on %s', (_name, openDatabase: () => Promise<LogDatabase>) => {
  let db: LogDatabase;
  const h = eventLogHarness(() => db);

  beforeAll(async () => {
    db = await openDatabase();
  }, 60_000);
  afterEach(async () => {
    await h.closeLogs();
    h.errors.length = 0;
  });
  afterAll(async () => {
    await db?.dispose();
  });

  deliveryScenarios(h);
  isolationScenarios(h);
});

describe('SqlEventLog on PGlite, across a killed process', () => {
  const fixtures = join(__dirname, '__fixtures__');
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'fleetjobs-eventlog-kill-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Runs the child in `mode`; resolves with the first line starting with `marker`, killing the child with SIGKILL if asked. */
  function runChild(mode: string, marker: string, kill: boolean): Promise<Record<string, unknown>> {
    const child = spawn(
      process.execPath,
      ['-r', SWC_REGISTER, join(fixtures, 'pglite-crash-child.ts'), mode, dataDir, 'jobs', 'dispatcher'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`child ${mode} timed out; stderr: ${stderr}`));
      }, 45_000);
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const line = stdout.split('\n').find((l) => l.startsWith(`${marker} `));
        if (!line) return;
        clearTimeout(timer);
        const data = JSON.parse(line.slice(marker.length + 1));
        if (!kill) return child.once('exit', () => resolve(data));
        child.once('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(data) : reject(new Error(`exit ${signal}`))));
        child.kill('SIGKILL');
      });
      child.once('exit', (code, signal) => {
        if (code !== 0 && signal !== 'SIGKILL') reject(new Error(`child ${mode} exited ${code}; stderr: ${stderr}`));
      });
    });
  }

  it('keeps every published message and committed position after kill -9, and redelivers what was in flight', async () => {
    const written = await runChild('write', 'PUBLISHED', true);
    expect(written.hanging).toBeGreaterThan(0);

    const read = (await runChild('read', 'READ', false)) as { stored: number; values: Array<{ key: string; value: number }> };
    expect(read.stored).toBe(250);
    const values = read.values.map((v) => v.value);
    expect([...values].sort((a, b) => a - b)).toEqual(range(150, 100));
    for (const key of new Set(read.values.map((v) => v.key))) {
      const ofKey = read.values.filter((v) => v.key === key).map((v) => v.value);
      expect([key, ofKey]).toEqual([key, [...ofKey].sort((a, b) => a - b)]);
    }
  }, 120_000);
});
