import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HubSimulatorAdminClient, LoggedOperation, startThrowawayHubSimulator } from '@fleetjobs/hub-simulator';
import { startDistributedTopology, startEmbeddedProcess } from '@fleetjobs/runtime';
import { ensureKafkaBrokers, testPostgresServerUrl } from '@fleetjobs/testing';
import { eventually, FleetjobsClient, uniqueId } from '../support/fleetjobs.client';
import { createFleet, waitForJobEnd } from '../support/fleet.fixture';
import { allHubOperations } from '../support/hub-operations';

/** The hub-wide limit under test, configured on every dispatcher, and the hub's own limit: any excess shows as a 429. */
const R = 50;
/** One tags patch per device: a little over 60 s of work at the rate. */
const DEVICES = 3300;
const DISTRIBUTED_DISPATCHERS = 2;
const OPERATION = { type: 'property', name: 'location', value: 'Aisle 9' } as const;
/** Only this scenario's system runs with the limit: the shared end-to-end system keeps none. */
const SERVICE_ENV = { LOG_LEVEL: 'warn', DISPATCH_CONCURRENCY: '64', HUB_RATE_LIMIT_PER_SECOND: String(R) };

/** Whether nothing listens on the port of 127.0.0.1 right now. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A base port with the dozen after it free: the topology numbers its services from there. */
async function freePortBase(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const free = await Promise.all(Array.from({ length: 13 }, (_, offset) => portFree(base + offset)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no range of free ports found');
}

interface System {
  api: FleetjobsClient;
  hub: HubSimulatorAdminClient;
  stop(): Promise<void>;
}

/** A system of this scenario's own, on the topology under test (two dispatchers when distributed). */
async function startSystem(topology: string): Promise<System> {
  const workDir = mkdtempSync(join(tmpdir(), 'fleetjobs-throttle-'));
  const portBase = await freePortBase();
  if (topology === 'embedded') {
    // The hub runs outside the embedded process, as a real hub does: a pause of that process's
    // event loop then cannot make the hub stamp requests sent before it as arriving after it.
    const hubSimulator = await startThrowawayHubSimulator();
    const caFile = join(workDir, 'hub-ca.pem');
    writeFileSync(caFile, hubSimulator.simulator.caCertPem);
    const embedded = await startEmbeddedProcess({
      port: portBase,
      dataDir: join(workDir, 'data'),
      env: { ...SERVICE_ENV, HUB_CONNECTION_STRING: hubSimulator.simulator.connectionString, HUB_CA_CERT_FILE: caFile },
    });
    return {
      api: new FleetjobsClient(embedded.baseUrl, embedded.adminToken),
      hub: hubSimulator.admin,
      stop: async () => {
        await embedded.stop();
        await hubSimulator.dispose();
      },
    };
  }
  const distributed = await startDistributedTopology({
    kafkaBrokers: await ensureKafkaBrokers(),
    postgresUrl: testPostgresServerUrl(),
    databasePrefix: 'fleetjobs_throttle',
    fresh: true,
    kafkaNamespace: 'throttle',
    apiPort: portBase,
    servicePortBase: portBase,
    dispatchers: DISTRIBUTED_DISPATCHERS,
    env: { ...SERVICE_ENV, NODE_OPTIONS: '--max-old-space-size=256' },
    workDir,
  });
  const hub = new HubSimulatorAdminClient(distributed.hub.connectionString, readFileSync(distributed.hub.caFile, 'utf8'));
  return { api: new FleetjobsClient(distributed.baseUrl, distributed.adminToken), hub, stop: () => distributed.stop() };
}

/**
 * Requests per whole second of the hub's arrival clock over the busy span, without its partial
 * first and last seconds (seconds with no arrival inside the span count as 0).
 */
function arrivalSeconds(arrivals: LoggedOperation[]): number[] {
  const seconds = arrivals.map((entry) => Math.floor(Date.parse(entry.receivedAt) / 1000));
  const first = Math.min(...seconds);
  const last = Math.max(...seconds);
  const counts = new Array<number>(last - first + 1).fill(0);
  for (const second of seconds) counts[second - first] += 1;
  return counts.slice(1, -1);
}

const topology = process.env.E2E_TOPOLOGY ?? 'distributed';
const dispatchers = topology === 'embedded' ? 1 : DISTRIBUTED_DISPATCHERS;

describe(`the hub-wide rate limit (${topology}, ${dispatchers} dispatcher${dispatchers > 1 ? 's' : ''}, R = ${R}/s)`, () => {
  let system: System;

  beforeAll(async () => {
    system = await startSystem(topology);
  }, 300_000);

  afterAll(async () => {
    system?.hub.close();
    await system?.stop();
  }, 120_000);

  it(`keeps every second of a 60 s job at most R and on average at least 0.97 R, without a 429`, async () => {
    const { api, hub } = system;
    const fleet = await createFleet(api, hub, { label: 'throttle', count: DEVICES });
    // The registry sync is over before the hub's limit applies: only the job's requests meet it.
    await eventually(() => hub.stats(), (stats) => stats.devices >= DEVICES, 120_000, 'every device in the hub');
    await hub.setMaxRequestsPerSecond(R);
    const throttledBefore = (await hub.stats()).throttled;
    const deviceIds = new Set(fleet.deviceIds);

    // The job is paused at once and resumed once all its devices are targeted: the seconds judged
    // are those in which its work waits, not those in which the system is still taking it in.
    const jobStartedAt = new Date().toISOString();
    const jobId = uniqueId('throttle');
    const created = await api.put(`/api/jobs/${jobId}`, { displayName: 'Paced at the hub-wide rate', deviceSet: fleet.deviceSet, operations: [OPERATION] });
    expect(created.status).toBe(201);
    expect((await api.post(`/api/jobs/${jobId}/pause`)).status).toBeLessThan(300);
    await eventually(() => api.get(`/api/jobs/${jobId}`), (r) => r.body?.status === 'paused' && r.body?.counts?.total === DEVICES, 120_000, 'the paused job with every device targeted');
    const resumedAt = Date.parse(await hub.arrivalMark());
    expect((await api.post(`/api/jobs/${jobId}/resume`)).status).toBeLessThan(300);
    const job = await waitForJobEnd(api, jobId, 300_000);

    const throttled = (await hub.stats()).throttled - throttledBefore;
    // The hub's own tally of every device-facing request, reads included, per second of arrival.
    const tally = await hub.requestsPerSecond(jobStartedAt);
    await hub.setMaxRequestsPerSecond(null);
    const patches = (await allHubOperations(hub, { kind: 'twin-patch' })).filter((entry) => {
      const tags = (entry.payload as { tags?: { properties?: Record<string, unknown> } } | null)?.tags;
      return deviceIds.has(entry.deviceId) && tags?.properties?.[OPERATION.name] === OPERATION.value;
    });
    const seconds = arrivalSeconds(patches.filter((entry) => Date.parse(entry.receivedAt) >= resumedAt));
    const hubMax = Math.max(...tally.slice(1).map((second) => second.accepted));
    const max = Math.max(...seconds);
    const mean = seconds.reduce((sum, count) => sum + count, 0) / seconds.length;
    process.stdout.write(
      `throttle fidelity (${topology}, ${dispatchers} dispatchers, R = ${R}/s): ${seconds.length} full seconds, ` +
        `max ${max}/s, mean ${mean.toFixed(2)}/s, min ${Math.min(...seconds)}/s, 429s ${throttled}; ` +
        `the hub's tally of all device-facing requests (device-set's included) after the first second: max ${hubMax}/s\n` +
        `  per second: ${seconds.join(' ')}\n`,
    );

    // Every device exactly one outcome, and exactly one change at the hub.
    expect(job.status).toBe('completed');
    expect(job.counts).toMatchObject({ total: DEVICES, completed: DEVICES, failed: 0, pending: 0 });
    const perDevice = new Map<string, number>();
    for (const patch of patches) perDevice.set(patch.deviceId, (perDevice.get(patch.deviceId) ?? 0) + 1);
    expect(perDevice.size).toBe(DEVICES);
    expect([...perDevice].filter(([, count]) => count !== 1)).toEqual([]);

    // The hub's view: never more than R in a second, the rate kept while work waited, nothing refused.
    expect(seconds.length).toBeGreaterThanOrEqual(60);
    expect(max).toBeLessThanOrEqual(R);
    expect(mean).toBeGreaterThanOrEqual(0.97 * R);
    expect(throttled).toBe(0);
    expect(tally.filter((second) => second.throttled > 0)).toEqual([]);
  }, 600_000);
});
