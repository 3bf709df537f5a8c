import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deviceTwinTags } from '@fleetjobs/device-gateway';
import { HubSimulatorAdminClient } from '@fleetjobs/hub-simulator';
import { env, startDistributedTopology, startEmbeddedProcess, waitUntil, workspaceRoot } from '@fleetjobs/runtime';
import { currentRssMiB, peakRssMiB } from './process-memory';

/**
 * `npm run bench`: one job over BENCH_DEVICES (default 100,000) simulated devices on the
 * distributed topology. Devices are registered in the hub simulator and imported through the
 * API, as a real fleet would be; the job sets a property on every device. Prints time to
 * complete, device operations per second and the peak RSS of each service.
 */
async function main(): Promise<void> {
  const embedded = env('BENCH_TOPOLOGY', 'distributed') === 'embedded';
  const devices = Number(env('BENCH_DEVICES', embedded ? '10000' : '100000'));
  // BENCH_LATENCY_MS makes every simulated device answer after that long, so the run is bound by
  // the hub rather than by Fleetjobs: that shows what adding dispatcher processes brings.
  const latencyMs = Number(env('BENCH_LATENCY_MS', '0'));
  const topology = embedded ? await startEmbedded() : await startDistributed();
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${topology.baseUrl}${path}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  const hub = new HubSimulatorAdminClient(topology.hub.connectionString, (await import('node:fs')).readFileSync(topology.hub.caFile, 'utf8'));
  try {
    await api('PUT', '/api/device-templates/bench-vm', {
      displayName: 'Bench machine',
      capabilities: [
        { name: 'location', kind: 'property', schema: 'string' },
        { name: 'reboot', kind: 'command', schema: 'object' },
      ],
    });
    const rssAfterStart = Object.fromEntries(topology.processes.map((child) => [child.name, currentRssMiB(child.pid)]));
    const seedStarted = Date.now();
    for (let start = 0; start < devices; start += 10_000) {
      const page = Array.from({ length: Math.min(10_000, devices - start) }, (_, offset) => {
        const deviceId = `bench-${String(start + offset).padStart(7, '0')}`;
        return { deviceId, tags: deviceTwinTags({
            deviceId,
            template: 'bench-vm',
            displayName: deviceId,
            tags: { fleet: 'bench', ...(latencyMs > 0 ? { simulator: { latencyMs } } : {}) },
          }),
        };
      });
      await hub.seedDevices(page);
    }
    const imported = await api('POST', '/api/devices/import');
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    await api('PUT', '/api/device-sets/bench', {
      displayName: 'Bench fleet',
      conditions: [{ field: 'template', operator: 'eq', value: 'bench-vm' }],
    });
    const started = Date.now();
    // A fresh id per run: a broker shared with earlier runs may still carry their events.
    const jobId = `bench-${Date.now().toString(36)}`;
    await api('PUT', `/api/jobs/${jobId}`, {
      displayName: 'Bench',
      deviceSet: 'bench',
      operations: [latencyMs > 0 ? { type: 'command', name: 'reboot', value: {} } : { type: 'property', name: 'location', value: 'bench' }],
    });
    const job = await waitUntil(async () => {
      const current = await api('GET', `/api/jobs/${jobId}`);
      return current.status !== 'pending' && current.status !== 'running' && current.counts.pending === 0 && current;
    }, { timeoutMs: 3_600_000, intervalMs: 1000, what: 'the bench job to end' });
    const seconds = (Date.now() - started) / 1000;
    console.log(`\n=== Fleetjobs benchmark (${embedded ? 'embedded' : 'distributed'})`);
    console.log(`RSS after start (MiB): ${JSON.stringify(rssAfterStart)}`);
    console.log(`dispatcher processes: ${topology.processes.filter((child) => child.name.startsWith('dispatcher')).length || 1}; device latency ${latencyMs} ms`);
    console.log(`devices imported from the hub: ${imported.imported} in ${seedSeconds.toFixed(1)} s (seeding included)`);
    console.log(`job status: ${job.status}; counts ${JSON.stringify(job.counts)}`);
    console.log(`time to complete: ${seconds.toFixed(1)} s`);
    console.log(`device operations per second: ${(job.counts.completed / seconds).toFixed(0)}`);
    console.log('peak RSS per service (MiB):');
    for (const child of topology.processes) {
      console.log(`  ${child.name.padEnd(14)} peak ${peakRssMiB(child.pid) ?? '?'}, now ${currentRssMiB(child.pid) ?? '?'}`);
    }
  } finally {
    hub.close();
    await topology.stop();
  }
}

interface BenchTopology {
  baseUrl: string;
  hub: { connectionString: string; caFile: string };
  processes: { name: string; pid: number | undefined }[];
  stop(): Promise<void>;
}

async function startDistributed(): Promise<BenchTopology> {
  if (!process.env.KAFKA_BROKERS) execFileSync('bash', [join(workspaceRoot(), 'deploy', 'local', 'kafka', 'kafka.sh'), 'start'], { stdio: 'inherit' });
  return startDistributedTopology({
    kafkaBrokers: env('KAFKA_BROKERS', '127.0.0.1:9092').split(','),
    postgresUrl: env('POSTGRES_URL', 'postgres://postgres@127.0.0.1:5432'),
    databasePrefix: 'fleetjobs_bench',
    fresh: true,
    kafkaNamespace: 'bench',
    apiPort: 3800,
    servicePortBase: 3800,
    dispatchers: Number(env('BENCH_DISPATCHERS', '2')),
    // BENCH_NODE_OPTIONS (e.g. --max-old-space-size=192) caps each service's heap: a service that
    // held a whole fleet in memory would fail the run instead of merely growing.
    env: { LOG_LEVEL: 'warn', ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}) },
    workDir: mkdtempSync(join(tmpdir(), 'fleetjobs-bench-')),
  });
}

async function startEmbedded(): Promise<BenchTopology> {
  const embedded = await startEmbeddedProcess({
    port: 3880,
    dataDir: join(mkdtempSync(join(tmpdir(), 'fleetjobs-bench-')), 'data'),
    env: { LOG_LEVEL: 'warn' },
  });
  return { baseUrl: embedded.baseUrl, hub: embedded.hub, processes: [{ name: 'embedded', pid: embedded.process.pid }], stop: () => embedded.stop() };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
