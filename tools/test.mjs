// `npm test`: the whole suite with its real services, stage by stage, then one closing count.
// Kafka is started by the int/e2e helpers when KAFKA_BROKERS is not given; PostgreSQL must run
// (the machine's server, or FLEETJOBS_TEST_DATABASE_URL pointing at one).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const only = process.argv.slice(2);
const reports = mkdtempSync(join(tmpdir(), 'fleetjobs-test-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
const timings = [];
let failedStage = null;

function run(name, command, args, env = {}) {
  if (only.length && !only.includes(name)) return;
  if (failedStage) return;
  const started = Date.now();
  process.stdout.write(`\n=== ${name}: ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  timings.push(`${name} ${((Date.now() - started) / 1000).toFixed(0)}s`);
  if (result.status !== 0) failedStage = name;
}

function countJest(name, output) {
  if (existsSync(output)) {
    const report = JSON.parse(readFileSync(output, 'utf8'));
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.skipped += report.numPendingTests;
    if (report.numTotalTests === 0 && !failedStage) failedStage = `${name} (ran no test)`;
  }
}

function countVitest(name, output) {
  if (existsSync(output)) {
    const report = JSON.parse(readFileSync(output, 'utf8'));
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.skipped += report.numPendingTests ?? 0;
    if (report.numTotalTests === 0 && !failedStage) failedStage = `${name} (ran no test)`;
  }
}

/** A stage: a command, the environment it adds, and how its report is counted (none for checks). */
const command = (name, program, args, env = {}) => ({ name, program, args, env, count: null });
const jest = (name, config, env = {}) => ({
  name,
  program: 'npx',
  args: ['jest', '-c', config, '--json', `--outputFile=${join(reports, `${name}.json`)}`],
  env,
  count: () => countJest(name, join(reports, `${name}.json`)),
});
const vitest = (name, config) => ({
  name,
  program: 'npx',
  args: ['vitest', 'run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile=${join(reports, `${name}.json`)}`],
  env: {},
  count: () => countVitest(name, join(reports, `${name}.json`)),
});

/**
 * Runs lanes of stages side by side, each lane's stages one after another, every output line
 * prefixed with its stage. The system-level stages mostly wait on the hub's pace, the broker and
 * time-outs rather than on the CPU, and each starts its own system on ports and namespaces of its
 * own: side by side they take far less time, and they prove the system also holds on a busy machine.
 * A lane stops at its first failing stage; the others finish what they run.
 */
async function lanes(list) {
  const wanted = list.map((lane) => lane.filter(({ name }) => !only.length || only.includes(name))).filter((lane) => lane.length);
  if (failedStage || !wanted.length) return;
  const runStage = ({ name, program, args, env, count }) =>
    new Promise((resolve) => {
      const started = Date.now();
      process.stdout.write(`\n=== ${name}: ${program} ${args.join(' ')}${wanted.length > 1 ? ' (in a lane beside others)' : ''}\n`);
      const child = spawn(program, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      for (const stream of [child.stdout, child.stderr]) {
        let partial = '';
        stream.on('data', (chunk) => {
          const lines = (partial + chunk.toString()).split('\n');
          partial = lines.pop();
          for (const line of lines) process.stdout.write(`[${name}] ${line}\n`);
        });
        stream.on('end', () => partial && process.stdout.write(`[${name}] ${partial}\n`));
      }
      child.on('close', (status) => {
        timings.push(`${name} ${((Date.now() - started) / 1000).toFixed(0)}s`);
        if (status !== 0 && !failedStage) failedStage = name;
        count?.();
        resolve(status === 0);
      });
    });
  await Promise.all(wanted.map(async (lane) => {
    for (const stage of lane) if (!(await runStage(stage))) return;
  }));
}

// Checks and unit tests beside the integration tests, which mostly wait on PostgreSQL and the broker.
await lanes([
  [
    command('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']),
    // The dashboard's API types come from the generated contract: a change to docs/openapi.yaml that it
    // does not follow fails here.
    command('typecheck-dashboard', 'npx', ['tsc', '-p', 'services/dashboard/tsconfig.json', '--noEmit']),
    // The module-boundary rule reads Nx's project graph; compute it first or the rule is skipped.
    command('project-graph', 'npx', ['nx', 'show', 'projects'], { NX_DAEMON: 'false' }),
    command('lint', 'npx', ['eslint', '.'], { NX_DAEMON: 'false' }),
    jest('unit', 'jest.unit.config.js'),
    vitest('dashboard', 'services/dashboard/vitest.config.ts'),
    // A job's devices exported at 1,000,000 rows, as CSV and NDJSON, with flat memory: it fails when
    // the projection's RSS keeps climbing with the rows.
    command('export-memory', 'npm', ['run', 'bench:export']),
  ],
  [jest('int', 'jest.int.config.js')],
]);
run('build', process.execPath, ['tools/build.mjs', '--dashboard']);
// The browser stage shares the embedded e2e system's port: it follows it in the same lane.
await lanes([
  [jest('e2e-distributed', 'jest.e2e.config.js', { E2E_TOPOLOGY: 'distributed' }), jest('faults', 'jest.faults.config.js')],
  [jest('e2e-embedded', 'jest.e2e.config.js', { E2E_TOPOLOGY: 'embedded', E2E_LARGE_JOB_DEVICES: '10000' }), jest('browser', 'jest.browser.config.js'), jest('restart', 'jest.restart.config.js')],
]);
// Rates judged second by second at the hub, each topology on a system of its own and one after
// the other: beside other systems, a machine starved of CPU shifts requests across seconds.
await lanes([[
  jest('throttle-distributed', 'jest.throttle.config.js', { E2E_TOPOLOGY: 'distributed' }),
  jest('throttle-embedded', 'jest.throttle.config.js', { E2E_TOPOLOGY: 'embedded' }),
]]);
// Last and alone, so nothing else loads the machine: a small distributed bench whose CPU per
// device operation must stay within 1.5 × the baseline marked in docs/benchmarks.md.
run('bench-regression', 'npm', ['run', 'bench:regression']);

console.log(`\nstages: ${timings.join(', ')}`);
if (failedStage) console.log(`failed stage: ${failedStage}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedStage || totals.failed ? 1 : 0);
