import 'reflect-metadata';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ALL_TOPICS, DEFAULT_PARTITIONS } from '@fleetjobs/contracts';
import { AzureIotHubDeviceGateway } from '@fleetjobs/device-gateway';
import { deviceSetMigrations } from '@fleetjobs/device-set';
import { dispatcherMigrations } from '@fleetjobs/dispatcher';
import { HubSimulatorAdminClient, hubSimulatorMigrations } from '@fleetjobs/hub-simulator';
import { jobCommandMigrations } from '@fleetjobs/job-command';
import { SqlEventLog } from '@fleetjobs/messaging';
import { createLogger } from '@fleetjobs/http-kit';
import { createPgliteDataSource } from '@fleetjobs/persistence-pg';
import { projectionMigrations } from '@fleetjobs/projection';
import { env, exitOnStartupFailure, hubFromEnv, initialAdminToken } from '@fleetjobs/runtime';
import { seedDemoFleet } from './demo/demo-fleet.seed';
import { createEmbeddedApp } from './embedded-app';

import { startEmbeddedHub } from './embedded-hub';

const LOG_RETENTION_MS = 24 * 3600_000;
const logger = createLogger('fleetjobs');

/**
 * `npm start`: all of Fleetjobs in one process on embedded defaults — PGlite and the embedded
 * event log under DATA_DIR, the hub simulator in process — API and dashboard on PORT.
 */
async function main(): Promise<void> {
  const startedAt = Date.now();
  const port = Number(env('PORT', '3000'));
  const dataDir = resolve(env('DATA_DIR', './.data'));
  const pgDir = join(dataDir, 'pg');
  const firstStart = !existsSync(pgDir);
  mkdirSync(dataDir, { recursive: true });
  const adminToken = initialAdminToken(dataDir, process.env.FLEETJOBS_ADMIN_TOKEN);
  // Stored (as a hash) on start by the access module, like a deployment's bootstrap token.
  process.env.FLEETJOBS_ADMIN_TOKEN = adminToken.token;
  const authOff = env('AUTH', 'on') === 'off';

  const database = await createPgliteDataSource({
    dataDir: pgDir,
    // PGLITE_WORKER=on runs the SQL on a second core, beside the services' JavaScript. Measured at
    // 20,000 devices it brought no throughput (the main thread's JavaScript is the limit), so the
    // database stays on the main thread unless asked.
    worker: env('PGLITE_WORKER', 'off') === 'on',
    // Without its database the process can do nothing; ended, it is restarted and resumes as after a crash.
    onWorkerExit: (error) => {
      logger.fatal({ err: error }, 'the PGlite worker ended; stopping');
      process.exit(1);
    },
    migrations: [...hubSimulatorMigrations, ...deviceSetMigrations, ...jobCommandMigrations, ...dispatcherMigrations, ...projectionMigrations],
  });
  await database.dataSource.runMigrations();
  const eventLog = new SqlEventLog({ dataSource: database.dataSource });
  await eventLog.ensureTopics(ALL_TOPICS, DEFAULT_PARTITIONS);
  // HUB_CONNECTION_STRING names a hub of its own (an IoT Hub, or a simulator elsewhere); without it
  // the simulator runs in this process.
  const hub = process.env.HUB_CONNECTION_STRING
    ? null
    : await startEmbeddedHub(database.dataSource, dataDir, Number(env('HUB_SIMULATOR_PORT', '0')));
  const deviceGateway = new AzureIotHubDeviceGateway(hub ? { connectionString: hub.connectionString, caCertPem: hub.caCertPem } : hubFromEnv());

  const app = await createEmbeddedApp({ dataSource: database.dataSource, eventLog, deviceGateway });
  await app.startAllMicroservices();
  await app.listen(port, env('HOST', '127.0.0.1'));
  const url = `http://localhost:${port}`;
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  const welcome = [
    `Fleetjobs is running on ${url} (started in ${seconds} s; data in ${dataDir})`,
    `  Dashboard   ${url}/`,
    ...signInLines(url, adminToken, authOff),
    `  Health      ${url}/health/ready`,
    'Ctrl-C stops it; everything is kept in DATA_DIR.',
  ];
  // A person at a terminal reads the welcome as text; a supervisor's log gets it as one JSON line like every other.
  if (process.stdout.isTTY) process.stdout.write(['', ...welcome, ''].join('\n'));
  else logger.info({ url, dataDir, startedInSeconds: Number(seconds) }, welcome.join('\n'));

  if (hub && firstStart && env('FLEETJOBS_DEMO', 'on') !== 'off') {
    const hubAdmin = new HubSimulatorAdminClient(hub.connectionString, hub.caCertPem);
    seedDemoFleet({ baseUrl: `http://127.0.0.1:${port}`, token: adminToken.token }, hubAdmin)
      .then(
        (summary) => logger.info(`Demo data ready: ${summary}`),
        (error) => logger.warn({ err: error }, 'demo data could not be created'),
      )
      .finally(() => hubAdmin.close());
  }

  // Keep the embedded log bounded: what every consumer group has committed for a day is dropped.
  const trimTimer = setInterval(() => {
    eventLog.trimConsumed(LOG_RETENTION_MS).catch((error) => logger.warn({ err: error }, 'trimming the event log failed'));
  }, 10 * 60_000);
  trimTimer.unref();

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(trimTimer);
    await app.close();
    await eventLog.close();
    await deviceGateway.close();
    await hub?.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

/** How to sign in: the one-time link on a new data directory, where the token is kept after. */
function signInLines(url: string, admin: { token: string; created: boolean; file: string }, authOff: boolean): string[] {
  if (authOff) {
    return [
      '  WARNING     AUTH=off: anyone who reaches this port may do anything, as an anonymous administrator.',
      '              Use it for local experiments only.',
      `  Jobs        curl ${url}/api/jobs`,
    ];
  }
  const lines = admin.created
    ? [
        `  Sign in     ${url}/#/sign-in?token=${admin.token}`,
        '              (a link for this first start: it signs the dashboard in as administrator)',
        `  Admin token ${admin.token}`,
      ]
    : [`  Admin token in ${admin.file} (sign in with it, or with a token an administrator made)`];
  return [...lines, `  Jobs        curl -H "Authorization: Bearer $(cat ${admin.file})" ${url}/api/jobs`];
}

main().catch(exitOnStartupFailure);
