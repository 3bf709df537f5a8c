import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '@fleetjobs/runtime';
import type { BenchSummary } from './bench-report';
import { measureCpuCalibrationMs } from './cpu-calibration';
import { judgeCpuRegression, parseCiBaseline } from './cpu-regression.check';

/**
 * `npm run bench:regression` (the last stage of `npm test`): a small distributed bench, without
 * the floors, whose Fleetjobs CPU per device operation (services + PostgreSQL + Kafka) must stay
 * within 1.5 × the baseline marked in docs/benchmarks.md (BENCH_BASELINE_FILE reads another file),
 * scaled by how fast this machine does a reference work against the machine of the baseline.
 * Runs under `flock /tmp/bench.lock` when flock exists: benches use fixed ports.
 */
function main(): number {
  const root = workspaceRoot();
  const baselineFile = process.env.BENCH_BASELINE_FILE ?? join(root, 'docs', 'benchmarks.md');
  const baseline = parseCiBaseline(readFileSync(baselineFile, 'utf8'));
  console.log(
    `bench regression: ${baseline.topology}, ${baseline.operation}, ${baseline.devices} devices; ` +
      `baseline ${baseline.cpuMsPerOp} ms CPU per device op (${baselineFile})`,
  );
  const first = attempt(root, baseline);
  if (first !== 'over') return first === 'passed' ? 0 : 1;
  // Another process waking on the shared machine can inflate one run; a regression shows in both.
  console.log('bench regression: over the limit once; running it again, which must be within it');
  return attempt(root, baseline) === 'passed' ? 0 : 1;
}

/** One run of the small bench: within the limit, over it, or the bench itself failed. */
function attempt(root: string, baseline: ReturnType<typeof parseCiBaseline>): 'passed' | 'over' | 'failed' {
  const out = join(mkdtempSync(join(tmpdir(), 'fleetjobs-bench-regression-')), 'summary.json');
  const bench = [process.execPath, join(root, 'dist', 'bench', 'src', 'job-bench.js')];
  const lock = ['/usr/bin/flock', '/bin/flock'].find((path) => existsSync(path));
  const [command, ...args] = lock ? [lock, '/tmp/bench.lock', ...bench] : bench;
  // The machine's speed drifts (a shared host, and a build just before): the reference work is timed
  // before and after the bench, and the quicker of the two kept, so a disturbed timing never loosens the limit.
  const calibrationBeforeMs = measureCpuCalibrationMs();
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env: {
      ...process.env,
      BENCH_TOPOLOGY: baseline.topology,
      BENCH_OPERATION: baseline.operation,
      BENCH_DEVICES: String(baseline.devices),
      BENCH_LATENCY_MS: '0',
      BENCH_FLOOR: 'off',
      BENCH_OUT: out,
    },
  });
  if (result.status !== 0 || !existsSync(out)) {
    console.error(`bench regression: the bench failed (exit ${result.status ?? result.signal})`);
    return 'failed';
  }
  const calibrationAfterMs = measureCpuCalibrationMs();
  const calibrationMs = Math.min(calibrationBeforeMs, calibrationAfterMs);
  console.log(
    `bench regression: reference work ${calibrationBeforeMs.toFixed(1)} ms of CPU before the bench, ${calibrationAfterMs.toFixed(1)} ms after` +
      (baseline.calibrationMs ? `; ${baseline.calibrationMs} ms with the baseline` : ''),
  );
  const summary = JSON.parse(readFileSync(out, 'utf8')) as BenchSummary;
  if (summary.job.counts.failed > 0 || summary.job.counts.completed !== baseline.devices) {
    console.error(`bench regression: the job did not complete every device: ${JSON.stringify(summary.job.counts)}`);
    return 'failed';
  }
  const calibration = baseline.calibrationMs ? { baselineMs: baseline.calibrationMs, measuredMs: calibrationMs } : undefined;
  const verdict = judgeCpuRegression(baseline.cpuMsPerOp, summary.cpu.fleetjobsWithoutSimulatorMsPerOp ?? NaN, 0.5, calibration);
  console.log(`bench regression: ${verdict.message} (commit ${summary.commit}${summary.dirty ? ' + uncommitted changes' : ''})`);
  return verdict.passed ? 'passed' : 'over';
}

process.exit(main());
