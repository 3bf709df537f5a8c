import { ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { AzureIotHubDeviceGateway, OperationOutcome } from '@fleetjobs/device-gateway';
import { HubSimulatorAdminClient } from '@fleetjobs/hub-simulator';
import { EMBEDDED_NODE_FLAGS, env } from '@fleetjobs/runtime';
import { benchPostgresServerUrl } from './bench-postgres';
import type { HostMessage } from './hub-simulator.host';

/**
 * `npm run bench:hub`: the hub simulator alone, in a process of its own, driven by the project's
 * AzureIotHubDeviceGateway at BENCH_CONCURRENCY (64) over BENCH_DEVICES (10,000) devices, for a
 * property (one twin patch), a setting (twin read, patch, acknowledgement in the answer) and a
 * direct method. Prints, per store (BENCH_HUB_STORES=postgres,pglite), operations per second and
 * the simulator's CPU per request and per operation; on PostgreSQL also the CPU of its database
 * backends. BENCH_HUB_CPU_PROF=<dir> writes a `--cpu-prof` profile of the simulator there.
 */
const POSTGRES_URL = benchPostgresServerUrl();
const DATABASE = 'fleetjobs_bench_hub_simulator';
const CLOCK_TICKS_PER_SECOND = 100;

interface Operation {
  name: string;
  requestsPerOperation: number;
  run(gateway: AzureIotHubDeviceGateway, deviceId: string, index: number): Promise<OperationOutcome>;
}

const OPERATIONS: Operation[] = [
  { name: 'property', requestsPerOperation: 1, run: (gateway, id, i) => gateway.applyProperty(id, 'location', `site-${i}`) },
  {
    name: 'setting',
    requestsPerOperation: 2,
    run: (gateway, id, i) => gateway.applySetting(id, 'fanSpeed', i % 7, { ackTimeoutMs: 30_000 }),
  },
  { name: 'method', requestsPerOperation: 1, run: (gateway, id) => gateway.invokeCommand(id, 'reboot', null, { responseTimeoutMs: 10_000 }) },
];

async function main(): Promise<void> {
  const stores = env('BENCH_HUB_STORES', 'postgres,pglite').split(',');
  const devices = Number(env('BENCH_DEVICES', '10000'));
  const concurrency = Number(env('BENCH_CONCURRENCY', '64'));
  const operationsPerRun = Number(env('BENCH_OPERATIONS', '20000'));
  const only = env('BENCH_HUB_OPERATIONS', OPERATIONS.map((operation) => operation.name).join(',')).split(',');
  for (const store of stores) {
    const host = await startHost(store);
    const gateway = new AzureIotHubDeviceGateway({ connectionString: host.connectionString, caCertPem: host.caCertPem });
    const admin = new HubSimulatorAdminClient(host.connectionString, host.caCertPem);
    try {
      const ids = Array.from({ length: devices }, (_, i) => `hub-bench-${String(i).padStart(6, '0')}`);
      for (let start = 0; start < ids.length; start += 10_000) {
        await admin.seedDevices(ids.slice(start, start + 10_000).map((deviceId) => ({ deviceId, tags: { fleet: 'bench' } })));
      }
      console.log(`\n=== hub simulator on ${store}: ${devices} devices, ${concurrency} concurrent, ${operationsPerRun} operations per run`);
      for (const operation of OPERATIONS.filter((candidate) => only.includes(candidate.name))) {
        // A warm-up lets the JIT, the connection pool and the TLS sessions settle.
        await drive(gateway, operation, ids, Math.min(2000, operationsPerRun), concurrency);
        const databaseBefore = store === 'postgres' ? await backendCpu() : new Map<number, number>();
        const before = await host.cpu();
        const tallyBefore = await requestsServed(admin);
        const started = process.hrtime.bigint();
        const failures = await drive(gateway, operation, ids, operationsPerRun, concurrency);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const after = await host.cpu();
        const requests = (await requestsServed(admin)) - tallyBefore;
        const simulatorMs = (after - before) / 1000;
        let databaseMs = 0;
        if (store === 'postgres') for (const [pid, ms] of await backendCpu()) databaseMs += ms - (databaseBefore.get(pid) ?? 0);
        console.log(
          [
            `${operation.name.padEnd(8)} ${(operationsPerRun / seconds).toFixed(0).padStart(6)} ops/s`,
            `${requests} requests (${(requests / operationsPerRun).toFixed(2)}/op)`,
            `simulator CPU ${(simulatorMs / requests).toFixed(3)} ms/request, ${(simulatorMs / operationsPerRun).toFixed(3)} ms/op`,
            ...(store === 'postgres' ? [`PostgreSQL backends ${(databaseMs / operationsPerRun).toFixed(3)} ms/op`] : []),
            ...(failures > 0 ? [`${failures} FAILED`] : []),
          ].join(' · '),
        );
      }
    } finally {
      admin.close();
      await gateway.close();
      await host.stop();
    }
  }
}

async function drive(gateway: AzureIotHubDeviceGateway, operation: Operation, ids: string[], count: number, concurrency: number): Promise<number> {
  let next = 0;
  let failures = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      const outcome = await operation.run(gateway, ids[index % ids.length], index);
      if (!outcome.ok) failures += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return failures;
}

async function requestsServed(admin: HubSimulatorAdminClient): Promise<number> {
  return (await admin.requestsPerSecond()).reduce((sum, second) => sum + second.accepted + second.throttled, 0);
}

interface Host {
  connectionString: string;
  caCertPem: string;
  /** The simulator process's CPU time so far, in microseconds. */
  cpu(): Promise<number>;
  stop(): Promise<void>;
}

async function startHost(store: string): Promise<Host> {
  if (store === 'postgres') await recreateDatabase();
  const profileDir = process.env['BENCH_HUB_CPU_PROF'];
  const child: ChildProcess = fork(join(__dirname, 'hub-simulator.host.js'), [], {
    env: { ...process.env, BENCH_HUB_STORE: store, DATABASE_URL: `${POSTGRES_URL}/${DATABASE}` },
    // On PGlite the simulator stands for the one inside the embedded process: it runs as that does.
    execArgv: [
      ...(store === 'pglite' ? EMBEDDED_NODE_FLAGS : []),
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=hub-simulator-${store}.cpuprofile`] : []),
    ],
  });
  const next = (type: HostMessage['type']): Promise<HostMessage> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: HostMessage): void => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message);
      };
      const onExit = (code: number | null): void => reject(new Error(`the simulator host exited (${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ready = (await next('ready')) as Extract<HostMessage, { type: 'ready' }>;
  return {
    connectionString: ready.connectionString,
    caCertPem: ready.caCertPem,
    cpu: async () => {
      const answer = next('cpu');
      child.send({ type: 'cpu' });
      const usage = (await answer) as Extract<HostMessage, { type: 'cpu' }>;
      return usage.userMicros + usage.systemMicros;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send({ type: 'stop' });
      }),
  };
}

async function withAdmin<T>(database: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: `${POSTGRES_URL}/${database}` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function recreateDatabase(): Promise<void> {
  await withAdmin('postgres', async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${DATABASE}`);
  });
}

/** CPU milliseconds used so far by each server process serving the bench database (PostgreSQL runs on this machine), from /proc. */
async function backendCpu(): Promise<Map<number, number>> {
  const pids = await withAdmin('postgres', async (client) => {
    const result = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [DATABASE]);
    return result.rows.map((row) => row.pid);
  });
  const cpu = new Map<number, number>();
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      cpu.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND);
    } catch {
      // the backend ended
    }
  }
  return cpu;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
