import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPICS } from '@fleetjobs/contracts';
import { deviceTwinTags } from '@fleetjobs/device-gateway';
import { HubSimulatorAdminClient } from '@fleetjobs/hub-simulator';
import { env, kafkaSecurityFromEnv, startDistributedTopology, startEmbeddedProcess, waitUntil, workspaceRoot } from '@fleetjobs/runtime';
import { BENCH_TEMPLATE, benchOperation } from './bench-operation';
import { BenchSummary, printSummary } from './bench-report';
import {
  cpuBetween,
  CpuRecorder,
  CpuSubject,
  kafkaSubject,
  machineBetween,
  postgresBenchSubject,
  postgresSimulatorSubject,
  postgresWholeServerSubject,
  processSubject,
  selfSubject,
  takeCpuSnapshot,
} from './cpu-account';
import { importFleet } from './fleet-import';
import { runHubFloor } from './hub-floor.runner';
import { runSideJob, SIDE_JOB, SideJobResult } from './side-job.probe';
import { benchPostgresServerUrl } from './bench-postgres';
import { runKafkaFloor, topicEndOffsetSum } from './kafka-floor.runner';
import { currentRssMiB, peakRssMiB } from './process-memory';
import { FreshnessSampler, startKafkaFreshnessSampler, startMetricsLagSampler } from './projection-freshness.sampler';

const DATABASE_PREFIX = 'fleetjobs_bench';
const KAFKA_NAMESPACE = 'bench';
/** The hub simulator's database in the distributed topology (`<prefix>_hub_simulator`). */
const SIMULATOR_DATABASE = `${DATABASE_PREFIX}_hub_simulator`;
/** Who spends the CPU while the floor runs: the gateway's client is this process; embedded, the simulator is in the embedded process. */
const FLOOR_CPU_NAMES: Record<string, string> = { 'bench driver': 'client (gateway)', embedded: 'hub simulator (in embedded, with PGlite)' };

/**
 * `npm run bench`: one job over BENCH_DEVICES simulated devices (default 100,000 distributed,
 * 10,000 embedded), one operation each (BENCH_OPERATION=property|setting|command). Devices are
 * registered in the hub simulator and imported through the API, as a real fleet would be. Then,
 * in the same run, the floors: the hub path alone at the dispatchers' concurrency, and raw
 * kafkajs on the same broker. Prints ops/s, the floor and the percentage, CPU ms per device
 * operation per process, peak RSS per process and projection freshness; BENCH_OUT names a file
 * for the same as JSON. docs/benchmarks.md describes every variable.
 */
async function main(): Promise<void> {
  const benchStarted = Date.now();
  const embedded = env('BENCH_TOPOLOGY', 'distributed') === 'embedded';
  const devices = Number(env('BENCH_DEVICES', embedded ? '10000' : '100000'));
  // BENCH_LATENCY_MS makes every simulated device answer after that long, so the run is bound by
  // the hub rather than by Fleetjobs: that shows what adding dispatcher processes brings.
  const latencyMs = Number(env('BENCH_LATENCY_MS', '0'));
  const operationType = env('BENCH_OPERATION', latencyMs > 0 ? 'command' : 'property');
  const dispatchers = embedded ? 1 : Number(env('BENCH_DISPATCHERS', '2'));
  const concurrency = Number(env('DISPATCH_CONCURRENCY', '64'));
  const floorDevices = Math.min(devices, Number(env('BENCH_FLOOR_DEVICES', '20000')));
  const withFloor = env('BENCH_FLOOR', 'on') !== 'off';
  const brokers = env('KAFKA_BROKERS', '127.0.0.1:9092').split(',');
  const cluster = { brokers, security: kafkaSecurityFromEnv() };
  const runId = Date.now();
  const operation = benchOperation(operationType, runId % 1000);

  const topology = embedded ? await startEmbedded(concurrency) : await startDistributed(brokers, dispatchers, concurrency);
  const caCertPem = readFileSync(topology.hub.caFile, 'utf8');
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${topology.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${topology.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  const hub = new HubSimulatorAdminClient(topology.hub.connectionString, caCertPem);
  try {
    await api('PUT', '/api/device-templates/bench-vm', BENCH_TEMPLATE);
    await api('PUT', `/api/device-templates/${SIDE_JOB.template}`, BENCH_TEMPLATE);
    await hub.seedDevices(
      SIDE_JOB.deviceIds.map((deviceId) => ({ deviceId, tags: deviceTwinTags({ deviceId, template: SIDE_JOB.template, displayName: deviceId, tags: {} }) })),
    );
    const seedStarted = Date.now();
    const deviceIds = Array.from({ length: devices }, (_, index) => `bench-${String(index).padStart(7, '0')}`);
    for (let start = 0; start < devices; start += 10_000) {
      await hub.seedDevices(
        deviceIds.slice(start, start + 10_000).map((deviceId) => ({
          deviceId,
          tags: deviceTwinTags({
            deviceId,
            template: 'bench-vm',
            displayName: deviceId,
            tags: { fleet: 'bench', ...(latencyMs > 0 ? { simulator: { latencyMs } } : {}) },
          }),
        })),
      );
    }
    const imported = await importFleet(topology, devices);
    console.log(
      `devices imported from the hub: ${imported.imported} in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s (seeding included), through ${imported.route}`,
    );
    await api('PUT', '/api/device-sets/bench', {
      displayName: 'Bench fleet',
      conditions: [{ field: 'template', operator: 'eq', value: 'bench-vm' }],
    });
    await api('PUT', `/api/device-sets/${SIDE_JOB.deviceSet}`, SIDE_JOB.deviceSetBody);

    const subjects: CpuSubject[] = topology.processes.map((child) =>
      child.name === 'hub-simulator'
        ? processSubject('hub simulator', child.pid, 'simulator', 'separate process')
        : processSubject(child.name, child.pid, 'fleetjobs', embedded ? 'services, hub simulator, PGlite and event log in one process' : undefined),
    );
    if (!embedded) {
      subjects.push(
        postgresBenchSubject(DATABASE_PREFIX, SIMULATOR_DATABASE),
        postgresSimulatorSubject(DATABASE_PREFIX, SIMULATOR_DATABASE),
        kafkaSubject(Number(brokers[0].split(':')[1] ?? 9092)),
        postgresWholeServerSubject(),
      );
    }
    subjects.push(selfSubject());

    const jobsTopic = `${KAFKA_NAMESPACE}.${TOPICS.jobs}`;
    const eventsBefore = embedded ? 0 : await topicEndOffsetSum(cluster, jobsTopic);
    const freshness: FreshnessSampler = embedded
      ? startMetricsLagSampler({ baseUrl: topology.baseUrl, intervalMs: 1000 })
      : await startKafkaFreshnessSampler({
          ...cluster,
          namespace: KAFKA_NAMESPACE,
          topics: [TOPICS.jobs, TOPICS.devices],
          group: 'projection',
          intervalMs: 250,
        });
    const jobId = `bench-${runId.toString(36)}`;
    const cpuRecorder = new CpuRecorder(subjects);
    const cpuStart = cpuRecorder.start();
    const started = Date.now();
    await api('PUT', `/api/jobs/${jobId}`, { displayName: 'Bench', deviceSet: 'bench', operations: [operation] });
    let sideJob: Promise<SideJobResult> | null = null;
    const job = await waitUntil(async () => {
      const current = await api('GET', `/api/jobs/${jobId}`);
      if (!sideJob && current.counts.completed >= devices / 3 && current.counts.pending > 0) {
        const startedAtCompleted: number = current.counts.completed;
        sideJob = runSideJob(api, `${jobId}-side`, operation, startedAtCompleted).catch((error: unknown) => ({
          startedAtCompleted,
          seconds: NaN,
          status: `not measured: ${String(error)}`,
        }));
      }
      return current.status !== 'pending' && current.status !== 'running' && current.counts.pending === 0 && current;
    }, { timeoutMs: 3_600_000, intervalMs: 500, what: 'the bench job to end' });
    const jobSeconds = (Date.now() - started) / 1000;
    const cpuEnd = cpuRecorder.stop();
    // The simulator's tally forgets seconds older than 15 minutes: a longer job is not counted.
    const hubRequests = jobSeconds < 880 ? await hubRequestsSince(hub, started) : null;
    const freshnessReport = await freshness.stop();
    const sideJobResult = sideJob ? await (sideJob as Promise<SideJobResult>) : null;
    const events = embedded ? null : (await topicEndOffsetSum(cluster, jobsTopic)) - eventsBefore;
    const completed: number = job.counts.completed;
    const opsPerSecond = completed / jobSeconds;

    const lines = cpuBetween(subjects, cpuStart, cpuEnd).map((line) => ({ ...line, perOpMs: completed ? line.cpuMs / completed : NaN }));
    const machine = machineBetween(cpuStart, cpuEnd);
    const measuredMs = lines.filter((line) => line.name !== 'PostgreSQL, whole server').reduce((sum, line) => sum + line.cpuMs, 0);
    const rssMiB: BenchSummary['rssMiB'] = Object.fromEntries(
      topology.processes.map((child) => [child.name, { peak: peakRssMiB(child.pid), now: currentRssMiB(child.pid) }]),
    );
    if (!embedded) {
      const kafka = lines.find((line) => line.name === 'Kafka');
      for (const pid of kafka?.pids ?? []) rssMiB[`Kafka (pid ${pid})`] = { peak: peakRssMiB(pid), now: currentRssMiB(pid) };
    }

    let floor: BenchSummary['floor'] = null;
    if (withFloor) {
      console.log(`job done in ${jobSeconds.toFixed(1)} s; measuring the floors…`);
      const floorSubjects = subjects.filter((subject) =>
        ['hub simulator', 'embedded', 'PostgreSQL', 'PostgreSQL for the simulator', 'bench driver'].includes(subject.name),
      );
      const floorStart = takeCpuSnapshot(floorSubjects);
      const hubFloor = await runHubFloor({
        connectionString: topology.hub.connectionString,
        caCertPem,
        operation: benchOperation(operationType, (runId % 1000) + 1),
        deviceIds: deviceIds.slice(0, floorDevices),
        concurrency: dispatchers * concurrency,
      });
      const floorCpu = cpuBetween(floorSubjects, floorStart, takeCpuSnapshot(floorSubjects));
      const cpuMsPerOp = Object.fromEntries(
        floorCpu.map((line) => [FLOOR_CPU_NAMES[line.name] ?? line.name, line.cpuMs / Math.max(1, hubFloor.succeeded)]),
      );
      const kafkaFloor = embedded
        ? null
        : await runKafkaFloor({ ...cluster, namespace: KAFKA_NAMESPACE, messages: events && events > 0 ? events : devices }).catch((error: unknown) => {
            console.warn(String(error));
            return null;
          });
      floor = { hub: { ...hubFloor, cpuMsPerOp }, percent: (100 * opsPerSecond) / hubFloor.opsPerSecond, kafka: kafkaFloor };
    }

    const fleetjobs = lines.filter((line) => line.kind === 'fleetjobs');
    const summary: BenchSummary = {
      date: new Date().toISOString(),
      ...gitRevision(),
      topology: embedded ? 'embedded' : 'distributed',
      operation: operation.type,
      devices,
      dispatchers,
      concurrencyPerDispatcher: concurrency,
      latencyMs,
      job: { status: job.status, counts: job.counts, seconds: jobSeconds, opsPerSecond, events, hubRequests },
      cpu: {
        perOpMs: Object.fromEntries(lines.map((line) => [line.name, line.perOpMs])),
        lines,
        fleetjobsWithoutSimulatorMsPerOp: embedded ? null : fleetjobs.reduce((sum, line) => sum + line.perOpMs, 0),
        embeddedWithoutSimulatorEstimateMsPerOp:
          embedded && floor ? (perOpOf(lines, 'embedded') ?? NaN) - (floor.hub.cpuMsPerOp[FLOOR_CPU_NAMES.embedded] ?? NaN) : null,
        machine: { busyCores: machine.totalMs ? (machine.busyMs / machine.totalMs) * cores() : 0, measuredShareOfBusy: machine.busyMs ? measuredMs / machine.busyMs : 0 },
      },
      rssMiB,
      floor,
      freshness: freshnessReport,
      sideJob: sideJobResult,
    };
    printSummary(summary, { embeddedSimulator: embedded });
    console.log(`bench wall time: ${((Date.now() - benchStarted) / 1000).toFixed(0)} s (start, seeding, job, floors)`);
    const out = process.env.BENCH_OUT;
    if (out) {
      writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`);
      console.log(`summary written to ${out}`);
    }
  } finally {
    hub.close();
    await topology.stop();
  }
}

interface BenchTopology {
  baseUrl: string;
  adminToken: string;
  deviceSetUrl?: string;
  hub: { connectionString: string; caFile: string };
  processes: { name: string; pid: number | undefined }[];
  stop(): Promise<void>;
}

/** The API and the services' ports from here on (3800–3815); one bench at a time. */
const SERVICE_PORT_BASE = 3800;

async function startDistributed(brokers: string[], dispatchers: number, concurrency: number): Promise<BenchTopology> {
  if (!process.env.KAFKA_BROKERS) execFileSync('bash', [join(workspaceRoot(), 'deploy', 'local', 'kafka', 'kafka.sh'), 'start'], { stdio: 'inherit' });
  const topology = await startDistributedTopology({
    kafkaBrokers: brokers,
    postgresUrl: benchPostgresServerUrl(),
    databasePrefix: DATABASE_PREFIX,
    fresh: true,
    kafkaNamespace: KAFKA_NAMESPACE,
    apiPort: SERVICE_PORT_BASE,
    servicePortBase: SERVICE_PORT_BASE,
    dispatchers,
    // BENCH_NODE_OPTIONS (e.g. --max-old-space-size=192) caps each service's heap: a service that
    // held a whole fleet in memory would fail the run instead of merely growing.
    env: {
      LOG_LEVEL: 'warn',
      DISPATCH_CONCURRENCY: String(concurrency),
      ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
    },
    workDir: mkdtempSync(join(tmpdir(), 'fleetjobs-bench-')),
  });
  // device-set listens on the first port after the base (see startDistributedTopology).
  return Object.assign(topology, { deviceSetUrl: `http://127.0.0.1:${SERVICE_PORT_BASE + 1}` });
}

async function startEmbedded(concurrency: number): Promise<BenchTopology> {
  const embedded = await startEmbeddedProcess({
    port: 3880,
    dataDir: join(mkdtempSync(join(tmpdir(), 'fleetjobs-bench-')), 'data'),
    // PGLITE_WORKER=on compares PGlite in a worker thread with the main thread it uses by default.
    env: {
      LOG_LEVEL: 'warn',
      DISPATCH_CONCURRENCY: String(concurrency),
      ...(process.env.PGLITE_WORKER ? { PGLITE_WORKER: process.env.PGLITE_WORKER } : {}),
      ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
    },
  });
  return { baseUrl: embedded.baseUrl, adminToken: embedded.adminToken, hub: embedded.hub, processes: [{ name: 'embedded', pid: embedded.process.pid }], stop: () => embedded.stop() };
}

function gitRevision(): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: workspaceRoot(), encoding: 'utf8' }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: workspaceRoot(), encoding: 'utf8' }).trim();
    return { commit, dirty: status.length > 0 };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
}

/** The requests the hub simulator counted, served or throttled, from the second of `sinceMs` on. */
async function hubRequestsSince(hub: HubSimulatorAdminClient, sinceMs: number): Promise<number> {
  return (await hub.requestsPerSecond(new Date(sinceMs).toISOString())).reduce((sum, second) => sum + second.accepted + second.throttled, 0);
}

function perOpOf(lines: { name: string; perOpMs: number }[], name: string): number | undefined {
  return lines.find((line) => line.name === name)?.perOpMs;
}

function cores(): number {
  return readFileSync('/proc/stat', 'utf8').split('\n').filter((line) => /^cpu\d+ /.test(line)).length || 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
