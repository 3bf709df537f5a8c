import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { redactConnectionString } from './connection-string.redaction';
import { startHubSimulator } from './hub-simulator.server';
import { hubThrottleFromEnv } from './hub-throttle';
import { startOperabilityServer } from './operability.server';
import { simulatorLogger as logger } from './simulator-logger';
import { generateTlsMaterial, TlsMaterial } from './tls-certificate';

/**
 * The hub simulator as its own process.
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/fleetjobs_hub_simulator; the database must exist),
 * HUB_SIMULATOR_PORT (8443), HUB_SIMULATOR_HOST (127.0.0.1), HUB_SIMULATOR_KEY (base64; generated if unset),
 * HUB_SIMULATOR_TLS_DIR (keeps key.pem, cert.pem and, when HUB_SIMULATOR_KEY is unset, the generated
 * shared access key across restarts, so the CA and the connection string stay stable; writes ca.pem),
 * HUB_SIMULATOR_MAX_RPS (one rate limit for every kind of request, overriding the SKU's; none if unset),
 * HUB_SKU (S1, S2 or S3: IoT Hub's per-kind operation throttles of that tier; none if unset) and
 * HUB_UNITS (the hub's units, default 1),
 * HUB_SIMULATOR_OPS_PORT (plain HTTP port of /health/live, /health/ready and /metrics; not served if unset).
 * Its log shows the connection string without the key; with HUB_SIMULATOR_TLS_DIR the full one is
 * written to `connection-string` there (readable by its owner only).
 */
async function main(): Promise<void> {
  const env = process.env;
  const dataSource = new DataSource({
    type: 'postgres',
    url: env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/fleetjobs_hub_simulator',
    extra: { max: 16, application_name: 'fleetjobs-hub-simulator' },
    logging: ['error'],
  });
  await dataSource.initialize();
  const tlsDir = env['HUB_SIMULATOR_TLS_DIR'];
  const maxRps = env['HUB_SIMULATOR_MAX_RPS'];
  const simulator = await startHubSimulator({
    dataSource,
    port: Number(env['HUB_SIMULATOR_PORT'] ?? 8443),
    host: env['HUB_SIMULATOR_HOST'] ?? '127.0.0.1',
    sharedAccessKey: env['HUB_SIMULATOR_KEY'] || (tlsDir ? await loadOrCreateKey(tlsDir) : randomBytes(32).toString('base64')),
    tls: tlsDir ? await loadOrCreateTls(tlsDir) : undefined,
    maxRequestsPerSecond: maxRps ? Number(maxRps) : undefined,
    throttle: hubThrottleFromEnv(env),
  });
  const opsPort = env['HUB_SIMULATOR_OPS_PORT'];
  const operability = opsPort
    ? await startOperabilityServer({
        port: Number(opsPort),
        host: env['HUB_SIMULATOR_HOST'] ?? '127.0.0.1',
        ready: async () => (await dataSource.query('SELECT 1'), true),
      })
    : null;
  logger.info({ port: simulator.port, opsPort: operability?.port }, `hub simulator listening on port ${simulator.port}`);
  // The key never reaches a log: the full connection string goes to a file only its owner may read.
  logger.info(`HUB_CONNECTION_STRING=${redactConnectionString(simulator.connectionString)}`);
  if (tlsDir) {
    const connectionStringFile = join(tlsDir, 'connection-string');
    await writeFile(connectionStringFile, simulator.connectionString, { mode: 0o600 });
    logger.info(`the full connection string is in ${connectionStringFile}`);
    logger.info(`HUB_CA_CERT_FILE=${join(tlsDir, 'ca.pem')}`);
  } else if (!env['HUB_SIMULATOR_KEY']) {
    logger.info('the key was generated for this run only; set HUB_SIMULATOR_KEY or HUB_SIMULATOR_TLS_DIR to know it');
  }
  // Written last: its presence tells a launcher the simulator is ready.
  if (tlsDir) await writeFile(join(tlsDir, 'ca.pem'), simulator.caCertPem);

  const shutdown = async (): Promise<void> => {
    await simulator.stop();
    await operability?.stop();
    await dataSource.destroy();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

async function loadOrCreateTls(dir: string): Promise<TlsMaterial> {
  await mkdir(dir, { recursive: true });
  try {
    return { key: await readFile(join(dir, 'key.pem'), 'utf8'), cert: await readFile(join(dir, 'cert.pem'), 'utf8') };
  } catch {
    const tls = await generateTlsMaterial();
    await writeFile(join(dir, 'key.pem'), tls.key, { mode: 0o600 });
    await writeFile(join(dir, 'cert.pem'), tls.cert);
    return tls;
  }
}

async function loadOrCreateKey(dir: string): Promise<string> {
  const file = join(dir, 'shared-access-key');
  await mkdir(dir, { recursive: true });
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const key = randomBytes(32).toString('base64');
    await writeFile(file, key, { mode: 0o600 });
    return key;
  }
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'hub simulator failed to start');
  process.exit(1);
});
