import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { env, newAdminToken, ServiceProcess, waitUntil, workspaceRoot } from '@fleetjobs/runtime';
import { benchPostgresServerUrl } from './bench-postgres';
import { currentRssMiB } from './process-memory';

/**
 * `npm run bench:export`: the export of a job's devices (GET /api/jobs/{id}/devices as CSV and as
 * NDJSON) at BENCH_EXPORT_ROWS rows (default 1,000,000), through the real projection service
 * started from dist/ as its own process. The rows are written straight into the projection's
 * read-model tables with generate_series (seconds, not an hour of simulated devices). Each format
 * is streamed to the end while the projection's resident set is sampled every 50 ms; the bench
 * prints rows, bytes, seconds and the RSS at the start, its peak, at the end and its peak over
 * each quarter of the rows. It fails when the peak grows more than BENCH_EXPORT_RSS_LIMIT_MIB
 * (default 192 MiB, below the 109 MB of CSV and 182 MB of NDJSON a million rows make, and far
 * below them as JavaScript strings) over the start, or when the second half of the rows raises the
 * peak more than BENCH_EXPORT_RSS_LATE_GROWTH_MIB (default 48 MiB) over the first half: memory
 * that held rows would keep climbing with them, while a stream's levels off once V8's heap has
 * grown to its working size.
 */
const ROWS = Number(env('BENCH_EXPORT_ROWS', '1000000'));
const RSS_LIMIT_MIB = Number(env('BENCH_EXPORT_RSS_LIMIT_MIB', '192'));
const RSS_LATE_GROWTH_MIB = Number(env('BENCH_EXPORT_RSS_LATE_GROWTH_MIB', '48'));
const SAMPLE_EVERY_MS = 50;
const JOB_ID = 'export-bench';

interface ExportRun {
  format: string;
  rows: number;
  bytes: number;
  seconds: number;
  rss: { start: number; peak: number; end: number; quarters: number[] };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The server's URL naming one database. */
function databaseUrlOf(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrlOf(serverUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** One job of ROWS devices, written the way the projection writes them, a quarter failed with an error. */
async function seed(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const started = Date.now();
  try {
    await client.query(
      `INSERT INTO projection.jobs (id, display_name, device_set, operations, status, created_at, started_at, ended_at, target_total,
                                    device_count, completed_count, failed_count)
       VALUES ($1, 'Export bench', 'bench-set', '[{"type":"setting","name":"fanSpeed","value":5}]', 'failed', now(), now(), now(), $2,
               $2, $2 - $2 / 4, $2 / 4)`,
      [JOB_ID, ROWS],
    );
    await client.query(
      `INSERT INTO projection.job_devices (job_id, device_id, display_name, status, error, attempts, targeted_at, outcome_at)
         SELECT $1, 'device-' || lpad(n::text, 7, '0'), 'Pump station number ' || n || ' on the north side of the plant',
                CASE WHEN n % 4 = 0 THEN 'failed' ELSE 'completed' END,
                CASE WHEN n % 4 = 0 THEN 'the device did not answer within the time allowed, attempt ' || n END, 1, now(), now()
         FROM generate_series(1, $2::int) AS n`,
      [JOB_ID, ROWS],
    );
    await client.query('ANALYZE projection.job_devices');
  } finally {
    await client.end();
  }
  return (Date.now() - started) / 1000;
}

/** Streams one export to its end, counting rows and bytes, sampling the server's RSS meanwhile. */
async function streamExport(baseUrl: string, token: string, pid: number | undefined, format: 'csv' | 'ndjson'): Promise<ExportRun> {
  const accept = format === 'csv' ? 'text/csv' : 'application/x-ndjson';
  const start = currentRssMiB(pid) ?? 0;
  let peak = start;
  let bytes = 0;
  let lines = 0;
  // The peak over each quarter of the rows: memory that held rows would climb quarter after quarter.
  const quarters = [start, start, start, start];
  const sampler = setInterval(() => {
    const now = currentRssMiB(pid) ?? 0;
    const quarter = Math.min(3, Math.floor((lines * 4) / ROWS));
    quarters[quarter] = Math.max(quarters[quarter], now);
    peak = Math.max(peak, now);
  }, SAMPLE_EVERY_MS);
  const began = process.hrtime.bigint();
  try {
    const response = await fetch(`${baseUrl}/api/jobs/${JOB_ID}/devices`, { headers: { accept, authorization: `Bearer ${token}` } });
    if (!response.ok || !response.body) throw new Error(`the ${format} export answered ${response.status}: ${await response.text()}`);
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      for (let i = 0; i < value.length; i += 1) if (value[i] === 0x0a) lines += 1;
    }
  } finally {
    clearInterval(sampler);
  }
  const seconds = Number(process.hrtime.bigint() - began) / 1e9;
  const end = currentRssMiB(pid) ?? 0;
  peak = Math.max(peak, end);
  // CSV has a header line; NDJSON one line per row.
  quarters[3] = Math.max(quarters[3], end);
  return { format, rows: format === 'csv' ? lines - 1 : lines, bytes, seconds, rss: { start, peak, end, quarters } };
}

/** How much higher the RSS peaked over the second half of the rows than over the first. */
function secondHalfGrowth(run: ExportRun): number {
  const [q1, q2, q3, q4] = run.rss.quarters;
  return Math.max(0, Math.max(q3, q4) - Math.max(q1, q2));
}

async function main(): Promise<void> {
  const serverUrl = benchPostgresServerUrl();
  const database = `fleetjobs_bench_export`;
  const databaseUrl = databaseUrlOf(serverUrl, database);
  await admin(serverUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin(serverUrl, `CREATE DATABASE ${database}`);
  const port = await freePort();
  const token = newAdminToken();
  const projection = new ServiceProcess(
    'projection',
    join(workspaceRoot(), 'dist', 'services', 'projection', 'src', 'main.js'),
    {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      SERVICE: 'projection',
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: env('KAFKA_BROKERS', '127.0.0.1:9092'),
      KAFKA_NAMESPACE: `bench-export-${randomBytes(4).toString('hex')}`,
      PORT: String(port),
      FLEETJOBS_ADMIN_TOKEN: token,
    },
    mkdtempSync(join(tmpdir(), 'fleetjobs-export-bench-')),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  projection.start();
  try {
    await waitUntil(
      async () => {
        if (!projection.running) throw new Error(`the projection exited; see ${projection.logFile}`);
        return (await fetch(`${baseUrl}/health/ready`).catch(() => null))?.ok === true;
      },
      { timeoutMs: 90_000, intervalMs: 250, what: 'the projection to be ready' },
    );
    const seedSeconds = await seed(databaseUrl);
    process.stdout.write(`seeded ${ROWS.toLocaleString('en')} job-device rows in ${seedSeconds.toFixed(1)} s; projection pid ${projection.pid}\n`);
    const runs: ExportRun[] = [];
    for (const format of ['csv', 'ndjson'] as const) runs.push(await streamExport(baseUrl, token, projection.pid, format));

    process.stdout.write('\nformat  rows        bytes          seconds  MB/s   RSS start  peak   end    peak per quarter of the rows (MiB)\n');
    for (const run of runs) {
      process.stdout.write(
        `${run.format.padEnd(7)} ${String(run.rows).padEnd(11)} ${String(run.bytes).padEnd(14)} ${run.seconds.toFixed(1).padEnd(8)} ` +
          `${(run.bytes / 1e6 / run.seconds).toFixed(1).padEnd(6)} ${String(run.rss.start).padEnd(10)} ${String(run.rss.peak).padEnd(6)} ` +
          `${String(run.rss.end).padEnd(6)} ${run.rss.quarters.join(' / ')}\n`,
      );
    }
    const failures = runs.flatMap((run) => [
      ...(run.rows !== ROWS ? [`${run.format}: ${run.rows} rows, not ${ROWS}`] : []),
      ...(run.rss.peak - run.rss.start > RSS_LIMIT_MIB ? [`${run.format}: RSS grew ${run.rss.peak - run.rss.start} MiB, more than ${RSS_LIMIT_MIB} MiB`] : []),
      ...(secondHalfGrowth(run) > RSS_LATE_GROWTH_MIB
        ? [`${run.format}: RSS still grew ${secondHalfGrowth(run)} MiB in the second half of the rows, more than ${RSS_LATE_GROWTH_MIB} MiB`]
        : []),
    ]);
    if (failures.length > 0) {
      process.stdout.write(`\nFAILED: ${failures.join('; ')}\n`);
      process.exitCode = 1;
    } else {
      process.stdout.write(
        `\nflat: each export's RSS peaked within ${RSS_LIMIT_MIB} MiB of its start and grew at most ${RSS_LATE_GROWTH_MIB} MiB over its second half\n`,
      );
    }
  } finally {
    await projection.stop();
    await admin(serverUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
