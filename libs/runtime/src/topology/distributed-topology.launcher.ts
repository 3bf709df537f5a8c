import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { KAFKA_SECURITY_VARIABLES } from '../kafka-security.config';
import { workspaceRoot } from '../runtime-config';
import { newAdminToken } from './admin-token';
import { ServiceProcess } from './service-process';
import { waitUntil } from './wait-until';

export interface DistributedTopologyOptions {
  kafkaBrokers: string[];
  /** Server URL without a database, e.g. postgres://postgres@127.0.0.1:5432 */
  postgresUrl: string;
  /** Prefix of each service's database name, so several topologies can share one server. */
  databasePrefix: string;
  apiPort: number;
  /** Services listen on servicePortBase+1…+6 (+6: the hub simulator's health and metrics). */
  servicePortBase: number;
  dispatchers?: number;
  /** Extra environment for every service (e.g. SETTING_ACK_TIMEOUT_MS). */
  env?: Record<string, string>;
  workDir: string;
  /** Drop the services' databases first, for a clean run. */
  fresh?: boolean;
  /** Prefix of topics and consumer groups, so this topology shares a broker with no other. */
  kafkaNamespace?: string;
}

export interface DistributedTopology {
  baseUrl: string;
  /** An administrator API token the topology was started with (`FLEETJOBS_ADMIN_TOKEN`). */
  adminToken: string;
  hub: { url: string; connectionString: string; caFile: string };
  processes: ServiceProcess[];
  process(name: string): ServiceProcess;
  /** Starts a stopped process again with the same settings and waits until it is ready. */
  restart(name: string): Promise<void>;
  stop(): Promise<void>;
}

const SERVICES = ['device-set', 'job-command', 'dispatcher', 'projection'] as const;

/** The CA certificate file the hub simulator writes into its TLS directory. */
export const SIMULATOR_CA_FILE = 'ca.pem';

async function recreateDatabase(postgresUrl: string, name: string, fresh: boolean): Promise<void> {
  const client = new Client({ connectionString: `${postgresUrl}/postgres` });
  await client.connect();
  try {
    if (fresh) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

/**
 * Starts the whole distributed topology as separate processes from the built dist/: the hub
 * simulator, device-set, job-command, N dispatchers, projection and the API gateway, on real
 * Kafka and PostgreSQL, and waits until every one reports ready.
 */
export async function startDistributedTopology(options: DistributedTopologyOptions): Promise<DistributedTopology> {
  const root = workspaceRoot();
  const script = (name: string) => join(root, 'dist', 'services', name, 'src', 'main.js');
  if (!existsSync(script('api-gateway'))) throw new Error('dist/ is missing: run `npm run build` first');
  const logDir = join(options.workDir, 'logs');
  const tlsDir = join(options.workDir, 'hub-tls');
  mkdirSync(logDir, { recursive: true });
  mkdirSync(tlsDir, { recursive: true });

  const port = (offset: number) => options.servicePortBase + offset;
  const local = (p: number) => `http://127.0.0.1:${p}`;
  const ports = { 'device-set': port(1), 'job-command': port(2), dispatcher: port(3), projection: port(4), hub: port(5), hubOps: port(6) };
  const database = (service: string) => `${options.databasePrefix}_${service.replace(/-/g, '_')}`;
  for (const service of [...SERVICES, 'hub-simulator']) {
    await recreateDatabase(options.postgresUrl, database(service), options.fresh ?? false);
  }

  const hubKey = randomBytes(32).toString('base64');
  const connectionString = `HostName=127.0.0.1:${ports.hub};SharedAccessKeyName=iothubowner;SharedAccessKey=${hubKey}`;
  const caFile = join(tlsDir, SIMULATOR_CA_FILE);
  const adminToken = options.env?.FLEETJOBS_ADMIN_TOKEN ?? newAdminToken();
  const common: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    KAFKA_BROKERS: options.kafkaBrokers.join(','),
    // The services reach the brokers as this process was told to: TLS and SASL settings pass through.
    ...Object.fromEntries(KAFKA_SECURITY_VARIABLES.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : []))),
    ...(options.kafkaNamespace ? { KAFKA_NAMESPACE: options.kafkaNamespace } : {}),
    DEVICE_SET_URL: local(ports['device-set']),
    JOB_COMMAND_URL: local(ports['job-command']),
    DISPATCHER_URL: local(ports.dispatcher),
    PROJECTION_URL: local(ports.projection),
    HUB_CONNECTION_STRING: connectionString,
    HUB_CA_CERT_FILE: caFile,
    FLEETJOBS_ADMIN_TOKEN: adminToken,
    ...options.env,
  };

  const processes: ServiceProcess[] = [];
  const readyChecks = new Map<string, () => Promise<boolean>>();
  const add = (name: string, scriptName: string, env: NodeJS.ProcessEnv, ready: () => Promise<boolean>) => {
    const child = new ServiceProcess(name, script(scriptName), { ...common, ...env }, logDir);
    processes.push(child);
    readyChecks.set(name, ready);
    return child;
  };
  const httpReady = (url: string) => async () => (await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2000) })).ok;

  add('hub-simulator', 'hub-simulator', {
    DATABASE_URL: `${options.postgresUrl}/${database('hub-simulator')}`,
    HUB_SIMULATOR_PORT: String(ports.hub),
    HUB_SIMULATOR_OPS_PORT: String(ports.hubOps),
    HUB_SIMULATOR_KEY: hubKey,
    HUB_SIMULATOR_TLS_DIR: tlsDir,
  }, async () => existsSync(caFile));
  for (const service of SERVICES) {
    const replicas = service === 'dispatcher' ? (options.dispatchers ?? 1) : 1;
    for (let replica = 0; replica < replicas; replica += 1) {
      const servicePort = service === 'dispatcher' && replica > 0 ? port(10 + replica) : ports[service];
      add(replicas > 1 ? `${service}-${replica + 1}` : service, service, {
        DATABASE_URL: `${options.postgresUrl}/${database(service)}`,
        PORT: String(servicePort),
        ...(service === 'dispatcher' ? { JOB_CONTROL_DATABASE_URL: `${options.postgresUrl}/${database('job-command')}` } : {}),
      }, httpReady(local(servicePort)));
    }
  }
  add('api-gateway', 'api-gateway', { PORT: String(options.apiPort) }, httpReady(local(options.apiPort)));

  const startAndWait = async (child: ServiceProcess) => {
    child.start();
    await waitUntil(async () => {
      if (!child.running) throw new Error(`${child.name} exited; see ${child.logFile}`);
      return readyChecks.get(child.name)!();
    }, { timeoutMs: 90_000, intervalMs: 250, what: `${child.name} to be ready` });
  };

  const topology: DistributedTopology = {
    baseUrl: local(options.apiPort),
    adminToken,
    hub: { url: `https://127.0.0.1:${ports.hub}`, connectionString, caFile },
    processes,
    process: (name) => {
      const found = processes.find((child) => child.name === name);
      if (!found) throw new Error(`no process named ${name}`);
      return found;
    },
    restart: async (name) => startAndWait(topology.process(name)),
    stop: async () => {
      for (const child of [...processes].reverse()) await child.stop();
    },
  };

  try {
    await startAndWait(processes[0]);
    await Promise.all(processes.slice(1).map(startAndWait));
  } catch (error) {
    await topology.stop();
    throw error;
  }
  return topology;
}
