import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const KAFKA_SCRIPT = join('deploy', 'local', 'kafka', 'kafka.sh');
/** Covers a cold start: fetching the jars from Maven Central, formatting storage, booting the JVM. */
const START_TIMEOUT_MS = 240_000;

let brokers: Promise<string[]> | undefined;

/**
 * The Kafka brokers tests run against, in order of preference:
 * 1. `KAFKA_BROKERS` (comma-separated `host:port`) when set;
 * 2. otherwise the local single-node broker of `deploy/local/kafka/kafka.sh` (started if needed,
 *    left running for the next test run), on 127.0.0.1:`KAFKA_PORT` (default 9092). It needs only
 *    Java and Maven, so it runs whether or not a Docker engine is there too.
 */
export function ensureKafkaBrokers(): Promise<string[]> {
  brokers ??= resolveBrokers().catch((error: unknown) => {
    brokers = undefined;
    throw error;
  });
  return brokers;
}

async function resolveBrokers(): Promise<string[]> {
  const fromEnvironment = (process.env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
  if (fromEnvironment.length > 0) return fromEnvironment;

  await startLocalBroker(repositoryRoot());
  return [`127.0.0.1:${process.env.KAFKA_PORT ?? '9092'}`];
}

function repositoryRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, KAFKA_SCRIPT))) return dir;
    if (dirname(dir) === dir) throw new Error(`${KAFKA_SCRIPT} not found above ${__dirname}`);
  }
}

function startLocalBroker(root: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [join(root, KAFKA_SCRIPT), 'start'],
      { cwd: root, timeout: START_TIMEOUT_MS, maxBuffer: 4 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        if (error) reject(new Error(`starting the local Kafka broker failed: ${error.message}\n${stderr}`));
        else resolve();
      },
    );
  });
}
