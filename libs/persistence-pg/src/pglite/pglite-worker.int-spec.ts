import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { createPgliteDataSource, PgliteDataSource } from './pglite-data-source';
import { PgliteWorkerClient } from './pglite-worker.client';

describe('PGlite in a worker thread behind TypeORM', () => {
  let dir: string;
  let database: PgliteDataSource;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pglite-worker-'));
    database = await createPgliteDataSource({ dataDir: join(dir, 'pg'), worker: true });
    await database.dataSource.query(`
      CREATE TABLE sample (
        id int PRIMARY KEY,
        big bigint,
        at timestamptz,
        doc jsonb,
        raw bytea,
        tags text[],
        counts int[],
        note text,
        CONSTRAINT sample_note_key UNIQUE (note)
      )`);
  });

  afterAll(async () => {
    await database?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs PGlite in the worker, not in this thread', () => {
    expect(database.pglite).toBeInstanceOf(PgliteWorkerClient);
  });

  it('binds parameters and returns typed values, NULL included', async () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    await database.dataSource.query(
      'INSERT INTO sample (id, big, at, doc, raw, tags, counts, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8), ($9, NULL, NULL, NULL, NULL, NULL, NULL, NULL)',
      [1, '9007199254740993', at, JSON.stringify({ a: [1, 'b'], c: null }), Buffer.from([0, 1, 254, 255]), ['x', 'y z'], [3, 4], 'first', 2],
    );
    const rows = await database.dataSource.query('SELECT * FROM sample WHERE id = ANY($1) ORDER BY id', [[1, 2]]);
    expect(rows).toEqual([
      { id: 1, big: '9007199254740993', at, doc: { a: [1, 'b'], c: null }, raw: Buffer.from([0, 1, 254, 255]), tags: ['x', 'y z'], counts: [3, 4], note: 'first' },
      { id: 2, big: null, at: null, doc: null, raw: null, tags: null, counts: null, note: null },
    ]);
    expect(rows[0].at).toBeInstanceOf(Date);
    expect(Buffer.isBuffer(rows[0].raw)).toBe(true);
  });

  it('returns large results whole', async () => {
    const [{ total, n }] = await database.dataSource.query(
      "SELECT sum(length(s))::int AS total, count(*)::int AS n FROM (SELECT repeat('x', 1000) || g AS s FROM generate_series(1, 5000) g) t",
    );
    const rows: { s: string }[] = await database.dataSource.query("SELECT repeat('x', 1000) || g AS s FROM generate_series(1, 5000) g");
    expect(rows).toHaveLength(n);
    expect(rows.reduce((sum, row) => sum + row.s.length, 0)).toBe(total);
  });

  it('commits one transaction and rolls another back', async () => {
    await database.dataSource.transaction(async (manager) => {
      await manager.query('INSERT INTO sample (id, note) VALUES ($1, $2)', [10, 'committed']);
    });
    await expect(
      database.dataSource.transaction(async (manager) => {
        await manager.query('INSERT INTO sample (id, note) VALUES ($1, $2)', [11, 'rolled back']);
        throw new Error('abandon');
      }),
    ).rejects.toThrow('abandon');
    const rows = await database.dataSource.query('SELECT id FROM sample WHERE id IN (10, 11) ORDER BY id');
    expect(rows).toEqual([{ id: 10 }]);
  });

  it('raises a unique violation with its SQLSTATE and constraint, and goes on working', async () => {
    const error = await database.dataSource.query('INSERT INTO sample (id, note) VALUES (20, $1)', ['first']).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(QueryFailedError);
    const failure = error as QueryFailedError & { code?: string; constraint?: string; table?: string; detail?: string; severity?: string };
    expect(failure).toMatchObject({ code: '23505', constraint: 'sample_note_key', table: 'sample', severity: 'ERROR' });
    expect(failure.detail).toContain('(note)=(first)');
    expect(failure.message).toContain('duplicate key value violates unique constraint "sample_note_key"');
    expect(failure.driverError).toBeInstanceOf(DatabaseError);
    expect(await database.dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('reports an error at parse time and runs the next statement', async () => {
    await expect(database.dataSource.query('SELECT FROM WHERE $1', [1])).rejects.toMatchObject({ code: '42601' });
    await expect(database.dataSource.query('SELECT missing FROM sample WHERE id = $1', [1])).rejects.toMatchObject({ code: '42703' });
    expect(await database.dataSource.query('SELECT note FROM sample WHERE id = $1', [1])).toEqual([{ note: 'first' }]);
  });

  it('keeps this thread responsive while a query runs', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      const started = performance.now();
      await database.dataSource.query('SELECT pg_sleep(0.5)');
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(450);
      // At least a fifth of the ticks the query's time allows; a blocked thread would count none.
      expect(ticks).toBeGreaterThanOrEqual(Math.floor(elapsed / 5 / 5));
    } finally {
      clearInterval(timer);
    }
  });

  it('keeps the rows of a data directory across a close and a reopen', async () => {
    const reopenDir = join(dir, 'reopen');
    const first = await createPgliteDataSource({ dataDir: reopenDir, worker: true });
    await first.dataSource.query('CREATE TABLE kept (id int PRIMARY KEY, note text)');
    await first.dataSource.query("INSERT INTO kept SELECT g, 'row ' || g FROM generate_series(1, 100) g");
    await first.close();
    await expect(first.dataSource.query('SELECT 1')).rejects.toThrow();

    const second = await createPgliteDataSource({ dataDir: reopenDir, worker: true });
    try {
      expect(await second.dataSource.query('SELECT count(*)::int AS n, max(note) AS last FROM kept')).toEqual([{ n: 100, last: 'row 99' }]);
    } finally {
      await second.close();
    }
  });

  it('fails pending and later queries when the worker dies', async () => {
    const exits: Error[] = [];
    const doomed = await createPgliteDataSource({ worker: true, onWorkerExit: (error) => exits.push(error) });
    try {
      const running = doomed.dataSource.query('SELECT pg_sleep(30)');
      // The thread is killed, as an out-of-memory or a fatal error would end it, once the query is in it.
      const client = doomed.pglite as unknown as { worker: Worker; pending: Map<number, unknown> };
      while (client.pending.size === 0) await new Promise((resolve) => setImmediate(resolve));
      await client.worker.terminate();
      await expect(running).rejects.toThrow('the PGlite worker exited');
      await expect(doomed.dataSource.query('SELECT 1')).rejects.toThrow();
      expect(exits).toHaveLength(1);
    } finally {
      await doomed.close();
    }
  });
});
