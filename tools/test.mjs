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

function jest(name, config, env = {}) {
  const output = join(reports, `${name}.json`);
  run(name, 'npx', ['jest', '-c', config, '--json', `--outputFile=${output}`], env);
  countJest(name, output);
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

/**
 * Runs lanes of jest stages side by side, each lane's stages one after another, every output line
 * prefixed with its stage. The system-level stages mostly wait on the hub's pace, the broker and
 * time-outs rather than on the CPU, and each starts its own system on ports and namespaces of its
 * own: side by side they take far less time, and they prove the system also holds on a busy machine.
 */
async function jestLanes(lanes) {
  const wanted = lanes.map((lane) => lane.filter(([name]) => !only.length || only.includes(name))).filter((lane) => lane.length);
  if (failedStage || !wanted.length) return;
  const runStage = ([name, config, env = {}]) =>
    new Promise((resolve) => {
      const started = Date.now();
      const output = join(reports, `${name}.json`);
      process.stdout.write(`\n=== ${name}: npx jest -c ${config} (in a lane beside others)\n`);
      const child = spawn('npx', ['jest', '-c', config, '--json', `--outputFile=${output}`], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      for (const stream of [child.stdout, child.stderr]) {
        let partial = '';
        stream.on('data', (chunk) => {
          const lines = (partial + chunk).split('\n');
          partial = lines.pop();
          for (const line of lines) process.stdout.write(`[${name}] ${line}\n`);
        });
        stream.on('end', () => partial && process.stdout.write(`[${name}] ${partial}\n`));
      }
      child.on('close', (status) => {
        timings.push(`${name} ${((Date.now() - started) / 1000).toFixed(0)}s`);
        if (status !== 0 && !failedStage) failedStage = name;
        countJest(name, output);
        resolve();
      });
    });
  await Promise.all(wanted.map(async (lane) => {
    for (const stage of lane) await runStage(stage);
  }));
}

function vitest(name, config) {
  const output = join(reports, `${name}.json`);
  run(name, 'npx', ['vitest', 'run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile=${output}`]);
  if (existsSync(output)) {
    const report = JSON.parse(readFileSync(output, 'utf8'));
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.skipped += report.numPendingTests ?? 0;
  }
}

run('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
// The dashboard's API types come from the generated contract: a change to docs/openapi.yaml that it
// does not follow fails here.
run('typecheck-dashboard', 'npx', ['tsc', '-p', 'services/dashboard/tsconfig.json', '--noEmit']);
// The module-boundary rule reads Nx's project graph; compute it first or the rule is skipped.
run('project-graph', 'npx', ['nx', 'show', 'projects'], { NX_DAEMON: 'false' });
run('lint', 'npx', ['eslint', '.'], { NX_DAEMON: 'false' });
jest('unit', 'jest.unit.config.js');
jest('int', 'jest.int.config.js');
run('build', process.execPath, ['tools/build.mjs', '--dashboard']);
vitest('dashboard', 'services/dashboard/vitest.config.ts');
// The browser stage shares the embedded e2e system's port: it follows it in the same lane.
await jestLanes([
  [['e2e-distributed', 'jest.e2e.config.js', { E2E_TOPOLOGY: 'distributed' }], ['faults', 'jest.faults.config.js']],
  [['e2e-embedded', 'jest.e2e.config.js', { E2E_TOPOLOGY: 'embedded', E2E_LARGE_JOB_DEVICES: '10000' }], ['browser', 'jest.browser.config.js'], ['restart', 'jest.restart.config.js']],
]);
// Rates judged second by second at the hub, each topology on a system of its own and one after
// the other: beside other systems, a machine starved of CPU shifts requests across seconds.
await jestLanes([[
  ['throttle-distributed', 'jest.throttle.config.js', { E2E_TOPOLOGY: 'distributed' }],
  ['throttle-embedded', 'jest.throttle.config.js', { E2E_TOPOLOGY: 'embedded' }],
]]);
// Last and alone, so nothing else loads the machine: a small distributed bench whose CPU per
// device operation must stay within 1.5 × the baseline marked in docs/benchmarks.md.
run('bench-regression', 'npm', ['run', 'bench:regression']);

console.log(`\nstages: ${timings.join(', ')}`);
if (failedStage) console.log(`failed stage: ${failedStage}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedStage || totals.failed ? 1 : 0);
