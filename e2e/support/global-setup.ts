import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import buildOnce, { REPOSITORY_ROOT } from './build-once.setup';
import { freePortRange } from './free-ports';
import { ALL_INFRASTRUCTURE, setUpTestInfrastructure } from './test-infrastructure.setup';

/**
 * Settings that keep scenarios short: a setting not acknowledged in 4 s fails. Logs at info, as in
 * production: a scenario follows a request through them (no line is written per device).
 */
export const E2E_SERVICE_ENV = { SETTING_ACK_TIMEOUT_MS: '4000', COMMAND_TIMEOUT_MS: '10000', DISPATCH_CONCURRENCY: '64', LOG_LEVEL: 'info' };
const DISTRIBUTED_DISPATCHERS = 2;

/**
 * Starts the system once for the whole end-to-end run: the distributed topology (default) or
 * the embedded process (E2E_TOPOLOGY=embedded) — always its own, from the current build, never a
 * system that happens to run already. Jest loads this file without the workspace's path aliases,
 * so it uses the built dist/.
 */
export default async function globalSetup(): Promise<void> {
  await buildOnce();
  const topology = process.env.E2E_TOPOLOGY ?? 'distributed';
  // The embedded process keeps everything in PGlite under its data folder: no shared PostgreSQL or Kafka.
  await setUpTestInfrastructure(topology === 'embedded' ? { postgres: false, kafka: false } : ALL_INFRASTRUCTURE);
  const runtime = require(join(REPOSITORY_ROOT, 'dist/libs/runtime/src'));
  const testing = require(join(REPOSITORY_ROOT, 'dist/libs/testing/src'));
  const workDir = mkdtempSync(join(tmpdir(), 'fleetjobs-e2e-'));
  if (topology === 'embedded') {
    const embedded = await runtime.startEmbeddedProcess({ port: await freePortRange(1), dataDir: join(workDir, 'data'), env: E2E_SERVICE_ENV });
    publish(embedded.baseUrl, embedded.hub, embedded.adminToken);
    process.env.FLEETJOBS_LOG_FILES = JSON.stringify({ [embedded.process.name]: embedded.process.logFile });
    process.env.FLEETJOBS_MAX_IN_FLIGHT = E2E_SERVICE_ENV.DISPATCH_CONCURRENCY;
    (globalThis as Record<string, unknown>).__FLEETJOBS_SYSTEM__ = embedded;
  } else {
    const distributed = await runtime.startDistributedTopology({
      kafkaBrokers: await testing.ensureKafkaBrokers(),
      postgresUrl: testing.testPostgresServerUrl(),
      databasePrefix: 'fleetjobs_e2e',
      fresh: true,
      kafkaNamespace: 'e2e',
      apiPort: 3900,
      servicePortBase: 3900,
      dispatchers: DISTRIBUTED_DISPATCHERS,
      // A capped heap turns any service that holds a whole job's devices into a failed run.
      env: { ...E2E_SERVICE_ENV, NODE_OPTIONS: '--max-old-space-size=256' },
      workDir,
    });
    publish(distributed.baseUrl, distributed.hub, distributed.adminToken);
    process.env.FLEETJOBS_LOG_FILES = JSON.stringify(Object.fromEntries(distributed.processes.map((child: { name: string; logFile: string }) => [child.name, child.logFile])));
    process.env.FLEETJOBS_MAX_IN_FLIGHT = String(Number(E2E_SERVICE_ENV.DISPATCH_CONCURRENCY) * DISTRIBUTED_DISPATCHERS);
    (globalThis as Record<string, unknown>).__FLEETJOBS_SYSTEM__ = distributed;
  }
}

function publish(baseUrl: string, hub: { connectionString: string; caFile: string }, adminToken: string): void {
  process.env.FLEETJOBS_URL = baseUrl;
  process.env.FLEETJOBS_ADMIN_TOKEN = adminToken;
  process.env.FLEETJOBS_HUB_CONNECTION_STRING = hub.connectionString;
  process.env.FLEETJOBS_HUB_CA_FILE = hub.caFile;
}
