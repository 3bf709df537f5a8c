import { execFileSync, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { env, initialAdminToken, startDistributedTopology, workspaceRoot } from '@fleetjobs/runtime';

/**
 * `npm run start:distributed`: the real topology on this machine without Docker — Kafka (unless
 * KAFKA_BROKERS names one), each service its own process on the local PostgreSQL, the hub
 * simulator, the API on PORT. Ctrl-C stops it all.
 */
async function main(): Promise<void> {
  const root = workspaceRoot();
  const kafkaScript = join(root, 'deploy', 'local', 'kafka', 'kafka.sh');
  // A broker this command started is stopped with it; one that was already running is left alone.
  const kafkaWasRunning = spawnSync('bash', [kafkaScript, 'status'], { stdio: 'ignore' }).status === 0;
  const ownKafka = !process.env.KAFKA_BROKERS && !kafkaWasRunning;
  if (!process.env.KAFKA_BROKERS) execFileSync('bash', [kafkaScript, 'start'], { stdio: 'inherit' });
  const apiPort = Number(env('PORT', '3000'));
  const workDir = resolve(env('DATA_DIR', join(root, '.data', 'distributed')));
  const admin = initialAdminToken(workDir, process.env.FLEETJOBS_ADMIN_TOKEN);
  const topology = await startDistributedTopology({
    kafkaBrokers: env('KAFKA_BROKERS', '127.0.0.1:9092').split(','),
    postgresUrl: env('POSTGRES_URL', 'postgres://postgres@127.0.0.1:5432'),
    databasePrefix: env('DATABASE_PREFIX', 'fleetjobs'),
    apiPort,
    servicePortBase: Number(env('SERVICE_PORT_BASE', '3100')),
    dispatchers: Number(env('DISPATCHERS', '1')),
    kafkaNamespace: process.env.KAFKA_NAMESPACE || undefined,
    workDir,
    env: { FLEETJOBS_ADMIN_TOKEN: admin.token },
  });
  console.log(`\nFleetjobs (distributed) is up: ${topology.baseUrl}`);
  console.log(
    admin.created
      ? `  Sign in: ${topology.baseUrl}/#/sign-in?token=${admin.token}\n  Admin token: ${admin.token}`
      : `  Admin token in ${admin.file}`,
  );
  for (const child of topology.processes) console.log(`  ${child.name.padEnd(14)} pid ${child.pid}  log ${child.logFile}`);
  console.log('Ctrl-C stops everything.\n');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('stopping…');
    await topology.stop();
    if (ownKafka) execFileSync('bash', [kafkaScript, 'stop'], { stdio: 'inherit' });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
