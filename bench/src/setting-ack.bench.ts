import { ChildProcess, fork } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { AzureIotHubDeviceGateway as Gateway } from '@fleetjobs/device-gateway';
import { AzureIotHubDeviceGateway } from '@fleetjobs/device-gateway';
import { HubSimulatorAdminClient } from '@fleetjobs/hub-simulator';
import { env } from '@fleetjobs/runtime';
import { Client } from 'pg';
import { benchPostgresServerUrl } from './bench-postgres';
import type { HostMessage } from './hub-simulator.host';

const DATABASE = 'fleetjobs_bench_setting_ack';

/**
 * `npm run bench:setting-ack`: settings on devices that acknowledge late (BENCH_ACK_LATENCY_MS,
 * 500), so that every operation waits for its acknowledgement after the patch. Drives the hub
 * simulator (in a process of its own, on BENCH_HUB_STORE=postgres (a database of its own) or pglite) with
 * the project's AzureIotHubDeviceGateway at BENCH_CONCURRENCY (64) over BENCH_DEVICES (2,000)
 * devices, one setting each, and prints hub requests per operation and the CPU per operation of
 * the gateway's process and of the simulator: figures that do not depend on how busy the machine is.
 * BENCH_GATEWAY_MODULE=<path> loads the gateway from another build of libs/device-gateway, to
 * compare two versions on the same run.
 */
async function main(): Promise<void> {
  const devices = Number(env('BENCH_DEVICES', '2000'));
  const concurrency = Number(env('BENCH_CONCURRENCY', '64'));
  const latencyMs = Number(env('BENCH_ACK_LATENCY_MS', '500'));
  const store = env('BENCH_HUB_STORE', 'postgres');
  const GatewayClass = gatewayClass(process.env['BENCH_GATEWAY_MODULE']);
  const host = await startHost(store);
  const gateway = new GatewayClass({ connectionString: host.connectionString, caCertPem: host.caCertPem });
  const admin = new HubSimulatorAdminClient(host.connectionString, host.caCertPem);
  try {
    const warmUp = Array.from({ length: Math.min(500, devices) }, (_, i) => `ack-warm-${String(i).padStart(6, '0')}`);
    const ids = Array.from({ length: devices }, (_, i) => `ack-bench-${String(i).padStart(6, '0')}`);
    for (const batch of [warmUp, ids]) {
      for (let start = 0; start < batch.length; start += 10_000) {
        await admin.seedDevices(batch.slice(start, start + 10_000).map((deviceId) => ({ deviceId, tags: { simulator: { latencyMs } } })));
      }
    }
    console.log(`\n=== settings acknowledged after ${latencyMs} ms: ${devices} devices, ${concurrency} concurrent, simulator on ${store}`);
    // A warm-up lets the JIT, the connection pool and the TLS sessions settle.
    await drive(gateway, warmUp, concurrency);
    const simulatorBefore = await host.cpu();
    const gatewayBefore = process.cpuUsage();
    const requestsBefore = await requestsServed(admin);
    const started = process.hrtime.bigint();
    const failures = await drive(gateway, ids, concurrency);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const gatewayUsage = process.cpuUsage(gatewayBefore);
    const simulatorMs = ((await host.cpu()) - simulatorBefore) / 1000;
    const requests = (await requestsServed(admin)) - requestsBefore;
    const gatewayMs = (gatewayUsage.user + gatewayUsage.system) / 1000;
    console.log(
      [
        `setting ${(devices / seconds).toFixed(0).padStart(5)} ops/s`,
        `${requests} hub requests (${(requests / devices).toFixed(2)}/op)`,
        `gateway CPU ${(gatewayMs / devices).toFixed(3)} ms/op`,
        `simulator CPU ${(simulatorMs / devices).toFixed(3)} ms/op`,
        ...(failures > 0 ? [`${failures} FAILED`] : []),
      ].join(' · '),
    );
  } finally {
    admin.close();
    await gateway.close();
    await host.stop();
  }
}

function gatewayClass(modulePath: string | undefined): typeof Gateway {
  if (!modulePath) return AzureIotHubDeviceGateway;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(resolve(modulePath)) as { AzureIotHubDeviceGateway: typeof Gateway }).AzureIotHubDeviceGateway;
}

async function drive(gateway: Gateway, ids: string[], concurrency: number): Promise<number> {
  let next = 0;
  let failures = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const index = next++;
      const outcome = await gateway.applySetting(ids[index], 'fanSpeed', index % 7, { ackTimeoutMs: 30_000 });
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
  const server = benchPostgresServerUrl();
  if (store === 'postgres') {
    const client = new Client({ connectionString: `${server}/postgres` });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${DATABASE}`);
    } finally {
      await client.end();
    }
  }
  const child: ChildProcess = fork(join(__dirname, 'hub-simulator.host.js'), [], {
    env: { ...process.env, BENCH_HUB_STORE: store, DATABASE_URL: `${server}/${DATABASE}` },
  });
  const next = (type: HostMessage['type']): Promise<HostMessage> =>
    new Promise((resolveMessage, reject) => {
      const onMessage = (message: HostMessage): void => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolveMessage(message);
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
      new Promise<void>((resolveStop) => {
        child.once('exit', () => resolveStop());
        child.send({ type: 'stop' });
      }),
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
