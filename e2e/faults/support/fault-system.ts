import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { HubSimulatorAdminClient } from '@fleetjobs/hub-simulator';
import { DistributedTopology, ServiceProcess, startDistributedTopology, waitUntil } from '@fleetjobs/runtime';
import { startThrowawayPostgresCluster, testPostgresServerUrl, ThrowawayPostgresCluster } from '@fleetjobs/testing';
import { REPOSITORY_ROOT } from '../../support/build-once.setup';
import { FleetjobsClient } from '../../support/fleetjobs.client';
import { freePortRange } from '../../support/free-ports';
import { freePort } from './free-port';
import { OwnKafkaBroker, startOwnKafkaBroker } from './own-kafka.broker';
import { TcpFaultProxy } from './tcp-fault.proxy';

const DATABASE_PREFIX = 'fleetjobs_faults';
const SHARED_POSTGRES = testPostgresServerUrl();

/** One dispatcher process, reaching PostgreSQL only through its own proxy. */
export interface FaultDispatcher {
  readonly name: string;
  readonly process: ServiceProcess;
  readonly proxy: TcpFaultProxy;
  readonly port: number;
  /** The worker id it claims work under (a new one after each start). */
  workerId: string;
}

/**
 * The distributed topology on infrastructure of the test's own: a throwaway PostgreSQL cluster
 * and a Kafka broker it may stop and start, dispatchers it starts itself (each behind a TCP proxy
 * to PostgreSQL, so a link can be slowed or cut), and the hub simulator on the shared server,
 * where no fault reaches it (a real hub does not share our database).
 */
export class FaultSystem {
  readonly api: FleetjobsClient;
  readonly hub: HubSimulatorAdminClient;
  private readonly dispatchers = new Map<string, FaultDispatcher>();

  private constructor(
    readonly postgres: ThrowawayPostgresCluster,
    readonly kafka: OwnKafkaBroker,
    readonly topology: DistributedTopology,
    private readonly hubProcess: ServiceProcess,
    private readonly hubDatabase: string,
    private readonly workDir: string,
    private readonly serviceEnv: Record<string, string>,
    private readonly servicePortBase: number,
  ) {
    this.api = new FleetjobsClient(topology.baseUrl, topology.adminToken);
    this.hub = new HubSimulatorAdminClient(topology.hub.connectionString, readFileSync(topology.hub.caFile, 'utf8'));
  }

  static async start(serviceEnv: Record<string, string>): Promise<FaultSystem> {
    const workDir = mkdtempSync(join(tmpdir(), 'fleetjobs-faults-'));
    const postgres = await startThrowawayPostgresCluster();
    const kafka = await startOwnKafkaBroker().catch(async (error: unknown) => {
      await postgres.destroy();
      throw error;
    });
    const apiPort = await freePort();
    const servicePortBase = await freePortRange(20);
    let topology: DistributedTopology | undefined;
    try {
      topology = await startDistributedTopology({
        kafkaBrokers: kafka.brokers,
        postgresUrl: postgres.url('').replace(/\/$/, ''),
        databasePrefix: DATABASE_PREFIX,
        fresh: true,
        kafkaNamespace: 'faults',
        apiPort,
        servicePortBase,
        // The gateway is ready only with a dispatcher on the topology's port; that one is replaced
        // by dispatchers reaching PostgreSQL through proxies right after the start.
        dispatchers: 1,
        env: serviceEnv,
        workDir,
      });
      const hubDatabase = `${DATABASE_PREFIX}_hub_${randomBytes(4).toString('hex')}`;
      const hubProcess = await moveHubToSharedServer(topology, hubDatabase, workDir);
      await topology.process('dispatcher').stop();
      return new FaultSystem(postgres, kafka, topology, hubProcess, hubDatabase, workDir, serviceEnv, servicePortBase);
    } catch (error) {
      await topology?.stop();
      await kafka.destroy();
      await postgres.destroy();
      throw error;
    }
  }

  /** A database of the cluster, read directly (never through a dispatcher's proxy). */
  async query<T = Record<string, unknown>>(service: 'dispatcher' | 'job-command' | 'projection', sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: this.postgres.url(`${DATABASE_PREFIX}_${service.replace(/-/g, '_')}`) });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  dispatcher(name: string): FaultDispatcher {
    const found = this.dispatchers.get(name);
    if (!found) throw new Error(`no dispatcher named ${name}`);
    return found;
  }

  get runningDispatchers(): FaultDispatcher[] {
    return [...this.dispatchers.values()].filter((dispatcher) => dispatcher.process.running);
  }

  /** Starts a new dispatcher (extra environment on top of the suite's) and waits until it claims under a worker id. */
  async startDispatcher(name: string, env: Record<string, string> = {}): Promise<FaultDispatcher> {
    if (this.dispatchers.has(name)) throw new Error(`dispatcher ${name} exists already`);
    const proxy = await TcpFaultProxy.start({ host: '127.0.0.1', port: this.postgres.port });
    // The first one takes the topology's dispatcher port, which the gateway's readiness asks.
    const port = this.dispatchers.size === 0 ? this.servicePortBase + 3 : await freePort();
    const viaProxy = (service: string) => `postgres://postgres@127.0.0.1:${proxy.port}/${DATABASE_PREFIX}_${service}`;
    const local = (offset: number) => `http://127.0.0.1:${this.servicePortBase + offset}`;
    const logDir = join(this.workDir, 'logs');
    mkdirSync(logDir, { recursive: true });
    const child = new ServiceProcess(name, join(REPOSITORY_ROOT, 'dist', 'services', 'dispatcher', 'src', 'main.js'), {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      KAFKA_BROKERS: this.kafka.brokers.join(','),
      KAFKA_NAMESPACE: 'faults',
      DEVICE_SET_URL: local(1),
      JOB_COMMAND_URL: local(2),
      DISPATCHER_URL: local(3),
      PROJECTION_URL: local(4),
      HUB_CONNECTION_STRING: this.topology.hub.connectionString,
      HUB_CA_CERT_FILE: this.topology.hub.caFile,
      ...this.serviceEnv,
      ...env,
      DATABASE_URL: viaProxy('dispatcher'),
      JOB_CONTROL_DATABASE_URL: viaProxy('job_command'),
      PORT: String(port),
    }, logDir);
    const dispatcher: FaultDispatcher = { name, process: child, proxy, port, workerId: '' };
    this.dispatchers.set(name, dispatcher);
    await this.startAndIdentify(dispatcher, port);
    return dispatcher;
  }

  /** Starts a stopped dispatcher again (a new worker id). */
  async restartDispatcher(name: string): Promise<FaultDispatcher> {
    const dispatcher = this.dispatcher(name);
    await this.startAndIdentify(dispatcher, dispatcher.port);
    return dispatcher;
  }

  /** Claims of a worker still marked in flight in the shared work table. */
  async inFlightOf(workerId: string): Promise<{ device_id: string; job_id: string; sent: boolean }[]> {
    return this.query(
      'dispatcher',
      `SELECT job_id, device_id, sent_at IS NOT NULL AS sent FROM dispatcher.operations WHERE worker_id = $1 AND status = 'in_flight'`,
      [workerId],
    );
  }

  async stop(): Promise<void> {
    this.hub.close();
    for (const dispatcher of this.dispatchers.values()) {
      await dispatcher.process.stop();
      await dispatcher.proxy.close();
    }
    await this.topology.stop();
    await this.hubProcess.stop();
    await dropDatabase(this.hubDatabase);
    await this.kafka.destroy();
    await this.postgres.destroy();
  }

  private async startAndIdentify(dispatcher: FaultDispatcher, port: number): Promise<void> {
    dispatcher.proxy.heal();
    const workers = async () => new Set((await this.query<{ worker_id: string }>('dispatcher', 'SELECT worker_id FROM dispatcher.workers').catch(() => [])).map((row) => row.worker_id));
    const before = await workers();
    dispatcher.process.start();
    await waitUntil(async () => {
      if (!dispatcher.process.running) throw new Error(`${dispatcher.name} exited; see ${dispatcher.process.logFile}`);
      return (await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2000) })).ok;
    }, { timeoutMs: 120_000, intervalMs: 250, what: `${dispatcher.name} to be ready` });
    const fresh = await waitUntil(async () => {
      const added = [...(await workers())].filter((id) => !before.has(id));
      return added.length === 1 ? added[0] : undefined;
    }, { timeoutMs: 60_000, intervalMs: 100, what: `the worker id of ${dispatcher.name}` });
    dispatcher.workerId = fresh;
  }
}

/** Replaces the topology's hub simulator by one with the same port, key and certificate whose store is on the shared server. */
async function moveHubToSharedServer(topology: DistributedTopology, database: string, workDir: string): Promise<ServiceProcess> {
  await topology.process('hub-simulator').stop();
  await dropDatabase(database);
  const admin = new Client({ connectionString: `${SHARED_POSTGRES}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`).finally(() => admin.end());
  const key = /SharedAccessKey=([^;]+)/.exec(topology.hub.connectionString)?.[1] ?? '';
  const hub = new ServiceProcess('hub-simulator-shared', join(REPOSITORY_ROOT, 'dist', 'services', 'hub-simulator', 'src', 'main.js'), {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    DATABASE_URL: `${SHARED_POSTGRES}/${database}`,
    HUB_SIMULATOR_PORT: new URL(topology.hub.url).port,
    HUB_SIMULATOR_KEY: key,
    HUB_SIMULATOR_TLS_DIR: dirname(topology.hub.caFile),
  }, join(workDir, 'logs'));
  hub.start();
  const client = new HubSimulatorAdminClient(topology.hub.connectionString, readFileSync(topology.hub.caFile, 'utf8'));
  try {
    await waitUntil(async () => {
      if (!hub.running) throw new Error(`the hub simulator exited; see ${hub.logFile}`);
      return (await client.stats()) !== undefined;
    }, { timeoutMs: 60_000, intervalMs: 250, what: 'the hub simulator on the shared server' });
  } finally {
    client.close();
  }
  return hub;
}

async function dropDatabase(database: string): Promise<void> {
  const admin = new Client({ connectionString: `${SHARED_POSTGRES}/postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).finally(() => admin.end());
}
