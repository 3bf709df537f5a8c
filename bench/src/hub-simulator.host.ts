import { DataSource } from 'typeorm';
import { createPgliteDataSource } from '@fleetjobs/persistence-pg';
import { startHubSimulator } from '@fleetjobs/hub-simulator';

/** What the host answers on its IPC channel. */
export type HostMessage =
  | { type: 'ready'; connectionString: string; caCertPem: string }
  | { type: 'cpu'; userMicros: number; systemMicros: number };

/**
 * The hub simulator alone in a process, for `hub-simulator.bench.ts`: on PostgreSQL
 * (BENCH_HUB_STORE=postgres, DATABASE_URL) or on an in-memory PGlite (BENCH_HUB_STORE=pglite).
 * Answers `cpu` with its own CPU time so far; `stop` ends it (and writes a `--cpu-prof` profile).
 */
async function main(): Promise<void> {
  const store = process.env['BENCH_HUB_STORE'] ?? 'postgres';
  let close: () => Promise<void>;
  let dataSource: DataSource;
  if (store === 'pglite') {
    const pglite = await createPgliteDataSource();
    dataSource = pglite.dataSource;
    close = pglite.close;
  } else {
    dataSource = new DataSource({ type: 'postgres', url: process.env['DATABASE_URL'], extra: { max: 16 }, logging: ['error'] });
    await dataSource.initialize();
    close = () => dataSource.destroy();
  }
  const simulator = await startHubSimulator({ dataSource });
  const send = (message: HostMessage): void => void process.send?.(message);
  process.on('message', (message: { type: string }) => {
    if (message.type === 'cpu') {
      const usage = process.cpuUsage();
      send({ type: 'cpu', userMicros: usage.user, systemMicros: usage.system });
    } else if (message.type === 'stop') {
      void simulator
        .stop()
        .then(close)
        .finally(() => process.exit(0));
    }
  });
  send({ type: 'ready', connectionString: simulator.connectionString, caCertPem: simulator.caCertPem });
}

main().catch((error: unknown) => {
  console.error('hub simulator host failed', error);
  process.exit(1);
});
