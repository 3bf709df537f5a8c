// A process that writes to a PGlite event log and then waits to be killed (`write`), or reads back
// what a killed one left (`read`). Run with `node -r tools/jest/swc-register.js pglite-crash-child.ts`.
import type { ConsumedMessage } from '../../event-log.port';
import { createPgliteDataSource } from '@fleetjobs/persistence-pg';
import { SqlEventLog } from '../sql-event-log.adapter';
import { message, range } from './event-log-harness';
import { waitFor } from './wait-for';

const [mode, dataDir, topic, groupId] = process.argv.slice(2);
const say = (line: string, data: unknown = {}) => process.stdout.write(`${line} ${JSON.stringify(data)}\n`);

async function write(): Promise<void> {
  const { dataSource } = await createPgliteDataSource({ dataDir });
  const log = new SqlEventLog({ dataSource, pollIntervalMs: 20, onError: () => {} });
  await log.ensureTopics([topic], 4);
  await log.publish(range(100).map((i) => message(topic, `k${i % 10}`, String(i))));
  const handled = await log.subscribe({ groupId, topics: [topic], handleBatch: async () => {} });
  await waitFor('the first 100 committed', async () => (await handled.lag()) === 0);
  await handled.stop();

  await log.publish(range(100, 100).map((i) => message(topic, `k${i % 10}`, String(i))));
  let hanging = 0;
  await log.subscribe({
    groupId,
    topics: [topic],
    handleBatch: async (batch: ConsumedMessage[]) => {
      hanging += batch.length;
      await new Promise(() => {});
    },
  });
  await waitFor('handlers holding batches', () => hanging > 0);
  await log.publish(range(50, 200).map((i) => message(topic, `k${i % 10}`, String(i))));
  say('PUBLISHED', { hanging });
  await new Promise(() => {});
}

async function read(): Promise<void> {
  const { dataSource, close } = await createPgliteDataSource({ dataDir });
  const log = new SqlEventLog({ dataSource, pollIntervalMs: 20 });
  const stored = await dataSource.query('SELECT count(*)::int AS n FROM event_log.messages WHERE topic = $1', [topic]);
  const seen: ConsumedMessage[] = [];
  const subscription = await log.subscribe({ groupId, topics: [topic], handleBatch: async (b) => void seen.push(...b) });
  await waitFor('caught up', async () => (await subscription.lag()) === 0);
  await log.close();
  await close();
  say('READ', { stored: stored[0].n, values: seen.map((m) => ({ key: m.key, value: Number(m.value) })) });
}

(mode === 'write' ? write() : read()).catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
