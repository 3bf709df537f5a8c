import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntil } from '@fleetjobs/runtime';
import { REPOSITORY_ROOT } from '../../support/build-once.setup';
import { freePort } from './free-port';

const KAFKA_SCRIPT = join(REPOSITORY_ROOT, 'deploy', 'local', 'kafka', 'kafka.sh');

/** A single-node Kafka broker of the test's own (own ports, own data), which it may stop and start. */
export interface OwnKafkaBroker {
  readonly brokers: string[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Kills the broker (kill -9), as a crash of its machine would; `start()` brings it back. */
  kill(): Promise<void>;
  destroy(): Promise<void>;
}

/** Starts `deploy/local/kafka/kafka.sh` on free ports with a data folder in a temporary directory. */
export async function startOwnKafkaBroker(): Promise<OwnKafkaBroker> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fleetjobs-faults-kafka-'));
  const env = {
    ...process.env,
    KAFKA_PORT: String(await freePort()),
    KAFKA_CONTROLLER_PORT: String(await freePort()),
    FLEETJOBS_KAFKA_DATA: dataDir,
    KAFKA_HEAP_OPTS: '-Xms128m -Xmx384m',
  };
  const run = (command: 'start' | 'stop') =>
    new Promise<void>((resolve, reject) => {
      execFile('bash', [KAFKA_SCRIPT, command], { env, cwd: REPOSITORY_ROOT, timeout: 240_000 }, (error, _stdout, stderr) => {
        if (error) reject(new Error(`kafka.sh ${command} failed: ${error.message}\n${stderr}`));
        else resolve();
      });
    });
  // A test run that dies leaves no broker behind (kafka.sh runs it in its own session).
  const stopOnExit = () => spawnSync('bash', [KAFKA_SCRIPT, 'stop'], { env, stdio: 'ignore' });
  process.once('exit', stopOnExit);
  await run('start');
  return {
    brokers: [`127.0.0.1:${env.KAFKA_PORT}`],
    start: () => run('start'),
    stop: () => run('stop'),
    async kill() {
      const pid = Number(readFileSync(join(dataDir, 'kafka.pid'), 'utf8').trim());
      process.kill(pid, 'SIGKILL');
      await waitUntil(() => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      }, { timeoutMs: 30_000, intervalMs: 20, what: `broker ${pid} to exit` });
    },
    async destroy() {
      await run('stop');
      process.removeListener('exit', stopOnExit);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
