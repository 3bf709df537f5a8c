import { Client } from 'pg';
import { startThrowawayPostgresCluster, ThrowawayPostgresCluster } from './throwaway-postgres-cluster';

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('a throwaway PostgreSQL cluster', () => {
  let cluster: ThrowawayPostgresCluster;

  beforeAll(async () => {
    cluster = await startThrowawayPostgresCluster();
  });
  afterAll(async () => {
    await cluster?.destroy();
  });

  it('serves on its own port, stops, refuses connections, and starts again with its data', async () => {
    expect(cluster.port).not.toBe(5432);
    await query(cluster.url(), 'CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)');

    const held = new Client({ connectionString: cluster.url() });
    await held.connect();
    const heldErrors: { code?: string }[] = [];
    const dropped = new Promise<void>((resolve) =>
      held.on('error', (error: Error & { code?: string }) => {
        heldErrors.push(error);
        resolve();
      }),
    );
    await cluster.stop();
    await dropped;
    expect(heldErrors[0].code).toBe('57P01');
    await expect(query(cluster.url(), 'SELECT 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    await cluster.start();
    expect(await query(cluster.url(), 'SELECT n FROM kept')).toEqual([{ n: 7 }]);
  });
});
