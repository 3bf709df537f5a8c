import type { EventLog } from '@fleetjobs/messaging';
import type { DataSource } from 'typeorm';
import { OutboxRelay } from './outbox.relay';

/** A database whose outbox holds `rows` rows each time it is read, and that grants the lease or not. */
function fakeDatabase(options: { granted: boolean; rows: number }) {
  const statements: string[] = [];
  const answer = async (sql: string) => {
    const kind = sql.includes('outbox_lease') ? 'lease' : sql.trim().split(/\s+/)[0];
    statements.push(kind);
    if (kind === 'lease') return options.granted ? [{ holder: 'me' }] : [];
    if (kind === 'SELECT') return Array.from({ length: options.rows }, (_, i) => ({ id: String(i), topic: 't', key: 'k', headers: {}, value: '{}' }));
    return [];
  };
  const dataSource = {
    query: answer,
    // Prepared statements run on a query runner's connection.
    createQueryRunner: () => ({
      connect: async () => ({ query: async (config: { text: string }) => ({ rows: await answer(config.text) }) }),
      release: async () => undefined,
    }),
  } as unknown as DataSource;
  const eventLog = { publish: async () => undefined } as unknown as EventLog;
  return { statements, relay: new OutboxRelay({ dataSource, schema: 's', eventLog }) };
}

describe('OutboxRelay and its lease', () => {
  it('renews a lease it holds every few seconds, not before every batch', async () => {
    const { statements, relay } = fakeDatabase({ granted: true, rows: 3 });
    for (let round = 0; round < 10; round++) expect(await relay.drain()).toBe(3);
    // A round is a select, a publish and a delete; the lease was asked for once (twice if this machine stalled for seconds).
    expect(statements.filter((kind) => kind === 'SELECT')).toHaveLength(10);
    expect(statements.filter((kind) => kind === 'lease').length).toBeLessThanOrEqual(2);
  });

  it('does not ask again at once for a lease another replica holds', async () => {
    const { statements, relay } = fakeDatabase({ granted: false, rows: 3 });
    for (let round = 0; round < 10; round++) expect(await relay.drain()).toBe(0);
    expect(statements.filter((kind) => kind === 'lease').length).toBeLessThanOrEqual(2);
    expect(statements.filter((kind) => kind === 'SELECT')).toHaveLength(0);
  });
});
