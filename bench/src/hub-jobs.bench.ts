import { AzureIotHubDeviceGateway } from '@fleetjobs/device-gateway';
import { HubSimulatorAdminClient } from '@fleetjobs/hub-simulator';
import type { LoggedOperation } from '@fleetjobs/hub-simulator';
import { env } from '@fleetjobs/runtime';
import { benchPostgresServerUrl } from './bench-postgres';
import { postgresSimulatorSubject } from './cpu-account';
import { deviceIdConditions } from './device-id-condition.chunker';
import { HubChange, hubJobClients, jobEnded, loggedKind, PathOutcome, runDirect, runHubJobs, scheduleJob } from './hub-paths.runner';
import { clockTicksPerSecond } from './proc-cpu.sampler';
import { SimulatorHost, startSimulatorHost } from './simulator-host.process';

/**
 * `npm run bench:hub-jobs`: IoT Hub's own bulk path (one twin-update job per `deviceId IN [...]`
 * condition, as long as the query limit allows) against direct calls through the project's
 * AzureIotHubDeviceGateway (BENCH_CONCURRENCY, 64, one twin patch per device), on the same hub
 * simulator in a process of its own on PostgreSQL: unthrottled over BENCH_DEVICES (10,000), then
 * as an S1 hub of one unit over BENCH_THROTTLED_DEVICES (1,000). Then how long a stop takes to hold
 * on each path. BENCH_HUB_JOBS_MODES=fast,s1 picks the runs; BENCH_OPERATION=command compares
 * direct methods (`invokeCommand` against `scheduleDeviceMethod`) instead of twin patches.
 */
const DATABASE = 'fleetjobs_bench_hub_jobs';

interface Mode {
  name: string;
  throttle: { sku: 'S1'; units: number } | null;
  devices: number;
  /** getJob interval: S1 allows 100 job operations a minute. */
  pollMs: number;
  /** Wait after a 429: S1 answers 20 queries a minute. */
  backoffMs: number;
}

interface Measured {
  path: string;
  outcome: PathOutcome;
  seconds: number;
  clientCpuMs: number;
  simulatorCpuMs: number;
  simulatorDatabaseCpuMs: number;
  hubRequests: number;
  firstDeviceS: number;
  lastDeviceS: number;
}

async function main(): Promise<void> {
  const concurrency = Number(env('BENCH_CONCURRENCY', '64'));
  const change = env('BENCH_OPERATION', 'property') as HubChange;
  if (change !== 'property' && change !== 'command') throw new Error('BENCH_OPERATION must be property or command');
  const modes: Mode[] = [
    { name: 'fast', throttle: null, devices: Number(env('BENCH_DEVICES', '10000')), pollMs: 100, backoffMs: 1000 },
    { name: 's1', throttle: { sku: 'S1', units: 1 }, devices: Number(env('BENCH_THROTTLED_DEVICES', '1000')), pollMs: 1000, backoffMs: 3000 },
  ].filter((mode) => env('BENCH_HUB_JOBS_MODES', 'fast,s1').split(',').includes(mode.name)) as Mode[];
  const host = await startSimulatorHost(benchPostgresServerUrl(), DATABASE);
  const admin = new HubSimulatorAdminClient(host.connectionString, host.caCertPem);
  const gateway = new AzureIotHubDeviceGateway({ connectionString: host.connectionString, caCertPem: host.caCertPem, maxSockets: concurrency });
  const clients = hubJobClients(host.connectionString, host.caCertPem);
  const log = new OperationLog(admin);
  try {
    const ids = Array.from({ length: Math.max(...modes.map((mode) => mode.devices)) }, (_, i) => `bench-dev-${String(i).padStart(6, '0')}`);
    for (let start = 0; start < ids.length; start += 10_000) {
      await admin.seedDevices(ids.slice(start, start + 10_000).map((deviceId) => ({ deviceId, tags: { fleet: 'bench' } })));
    }
    // A warm-up lets the JIT, the connection pools and the TLS sessions settle.
    await runDirect(gateway, change, ids.slice(0, 1000), 'warm-up', concurrency);
    await runHubJobs(clients, change, deviceIdConditions(ids.slice(0, 400)), 'warm-up', 'warm-up', { pollMs: 100, backoffMs: 1000 });
    await log.since();
    for (const mode of modes) {
      await admin.setThrottle(mode.throttle);
      const deviceIds = ids.slice(0, mode.devices);
      const conditions = deviceIdConditions(deviceIds);
      console.log(`\n=== ${mode.throttle ? `S1 × ${mode.throttle.units} unit throttles` : 'no hub throttles'}: ${mode.devices} devices, ${change === 'property' ? 'twin tag patch' : 'direct method'}`);
      const kind = loggedKind(change);
      const direct = await measure(host, admin, log, kind, `direct, ${concurrency} concurrent`, () =>
        runDirect(gateway, change, deviceIds, `direct-${mode.name}`, concurrency),
      );
      const jobs = await measure(host, admin, log, kind, `hub jobs, ${conditions.length} of ≤ ${countNames(conditions[0])} devices`, () =>
        runHubJobs(clients, change, conditions, `bench-${mode.name}`, `job-${mode.name}`, mode),
      );
      printTable([direct, jobs], mode.devices);
      await stopHolds(gateway, clients, log, change, deviceIds, conditions[0], mode, concurrency);
    }
  } finally {
    clients.close();
    admin.close();
    await gateway.close();
    await host.stop();
  }
}

/** Runs one path and measures it: its client, the simulator, the requests, and when the hub reached the devices. */
async function measure(
  host: SimulatorHost,
  admin: HubSimulatorAdminClient,
  log: OperationLog,
  kind: string,
  path: string,
  run: () => Promise<PathOutcome>,
): Promise<Measured> {
  const database = postgresSimulatorSubject('fleetjobs_bench', DATABASE);
  const databaseBefore = database.sample();
  const requestsBefore = await requestsServed(admin);
  const simulatorBefore = await host.cpuMs();
  const clientBefore = process.cpuUsage();
  const started = Date.now();
  const outcome = await run();
  const seconds = (Date.now() - started) / 1000;
  const client = process.cpuUsage(clientBefore);
  const simulatorCpuMs = (await host.cpuMs()) - simulatorBefore;
  let simulatorDatabaseCpuMs = 0;
  for (const [pid, ticks] of database.sample()) simulatorDatabaseCpuMs += ((ticks - (databaseBefore.get(pid) ?? 0)) * 1000) / clockTicksPerSecond();
  const hubRequests = (await requestsServed(admin)) - requestsBefore;
  const arrivals = (await log.since()).filter((entry) => entry.kind === kind).map((entry) => Date.parse(entry.receivedAt));
  return {
    path,
    outcome,
    seconds,
    clientCpuMs: (client.user + client.system) / 1000,
    simulatorCpuMs,
    simulatorDatabaseCpuMs,
    hubRequests,
    firstDeviceS: (Math.min(...arrivals) - started) / 1000,
    lastDeviceS: (Math.max(...arrivals) - started) / 1000,
  };
}

function printTable(rows: Measured[], devices: number): void {
  const header = ['path', 'ops/s', 'client CPU ms/op', 'hub requests (/op)', 'simulator CPU ms/op (+ its PostgreSQL)', 'first device', 'last device', 'outcomes'];
  console.log(`| ${header.join(' | ')} |`);
  console.log(`| ${header.map(() => '---').join(' | ')} |`);
  for (const row of rows) {
    const ops = row.outcome.succeeded;
    const statuses = row.outcome.jobs > 0 ? Object.entries(row.outcome.deviceStatuses).map(([status, count]) => `${count} ${status}`).join(', ') : `${ops} ok, ${row.outcome.failed} failed`;
    console.log(
      `| ${[
        row.path,
        (ops / row.seconds).toFixed(0),
        (row.clientCpuMs / devices).toFixed(3),
        `${row.hubRequests} (${(row.hubRequests / devices).toFixed(3)})`,
        `${(row.simulatorCpuMs / devices).toFixed(3)} (+ ${(row.simulatorDatabaseCpuMs / devices).toFixed(3)})`,
        `${row.firstDeviceS.toFixed(2)} s`,
        `${row.lastDeviceS.toFixed(2)} s`,
        `${statuses}${row.outcome.throttledRetries ? `; ${row.outcome.throttledRetries} calls repeated after 429` : ''}`,
      ].join(' | ')} |`,
    );
  }
}

/**
 * How long a stop takes to hold. Direct: the workers stop taking devices once five were done; the
 * requests already sent still arrive. Job: the job is cancelled (throttled, once five devices were
 * reached); the cancel's answer time, and whether any device was reached after the answer.
 */
async function stopHolds(
  gateway: AzureIotHubDeviceGateway,
  clients: ReturnType<typeof hubJobClients>,
  log: OperationLog,
  change: HubChange,
  deviceIds: string[],
  condition: string,
  mode: Mode,
  concurrency: number,
): Promise<void> {
  let stoppedAt = 0;
  const stop = (done: number): boolean => {
    if (!stoppedAt && done >= 5) stoppedAt = Date.now();
    return stoppedAt > 0;
  };
  const direct = await runDirect(gateway, change, deviceIds, `stop-${mode.name}`, concurrency, stop);
  const directArrivals = (await log.since()).map((entry) => Date.parse(entry.receivedAt));
  const afterStop = directArrivals.filter((at) => at > stoppedAt).length;
  console.log(
    `stop, direct: ${direct.succeeded} devices done; ${afterStop} requests (sent before the stop) arrived after it, the last ${Math.max(0, Math.max(...directArrivals) - stoppedAt)} ms after`,
  );

  const jobId = `bench-cancel-${mode.name}`;
  await scheduleJob(clients.jobs, change, jobId, condition, `cancel-${mode.name}`);
  // Unthrottled, a job reaches its few hundred devices within a fraction of a second: it is
  // cancelled as soon as its creation is answered. Throttled, once five devices were reached.
  const reachedBeforeCancel = mode.throttle ? 5 : 0;
  let reached: LoggedOperation[] = [];
  while (reached.length < reachedBeforeCancel) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    reached = reached.concat(await log.since());
  }
  const cancelSentAt = Date.now();
  await clients.jobs.cancelJob(jobId);
  const answeredAt = Date.now();
  const ended = await jobEnded(clients.jobs, jobId, mode.pollMs, mode.backoffMs);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  reached = reached.concat(await log.since()).filter((entry) => entry.requestId === `job:${jobId}`);
  const arrivals = reached.map((entry) => Date.parse(entry.receivedAt));
  console.log(
    `stop, hub job: cancel answered in ${answeredAt - cancelSentAt} ms; ${arrivals.filter((at) => at > answeredAt).length} devices reached after the answer ` +
      `(the last device reached ${Math.max(0, Math.max(...arrivals) - cancelSentAt)} ms after the cancel was sent); ` +
      `${reached.length} of ${countNames(condition)} devices reached, job ${ended.status}`,
  );
}

function countNames(condition: string | undefined): number {
  return condition ? condition.split("', '").length : 0;
}

async function requestsServed(admin: HubSimulatorAdminClient): Promise<number> {
  return (await admin.requestsPerSecond()).reduce((sum, second) => sum + second.accepted + second.throttled, 0);
}

/** The simulator's operation log, read on from where the last read ended. */
class OperationLog {
  private lastSeq = 0;

  constructor(private readonly admin: HubSimulatorAdminClient) {}

  async since(): Promise<LoggedOperation[]> {
    const all: LoggedOperation[] = [];
    for (;;) {
      const page = await this.admin.operations({ afterSeq: this.lastSeq, limit: 10_000 });
      if (page.length === 0) return all;
      all.push(...page);
      this.lastSeq = page[page.length - 1].seq;
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
