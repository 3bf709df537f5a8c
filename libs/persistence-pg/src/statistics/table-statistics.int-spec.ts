import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { testPostgresUrl, waitFor } from '@fleetjobs/testing';
import { createPgliteDataSource, PgliteDataSource } from '../pglite/pglite-data-source';
import { queryRows } from '../sql';
import { StatisticsKeeper } from './statistics.keeper';
import { analyzeWhenGrown } from './table-statistics';

const TABLE = 'svc.devices';

async function createDevices(dataSource: DataSource): Promise<void> {
  await dataSource.query(`CREATE SCHEMA svc`);
  await dataSource.query(`CREATE TABLE ${TABLE} (id text COLLATE "C" PRIMARY KEY, template text NOT NULL)`);
  await dataSource.query(`CREATE INDEX devices_template_id ON ${TABLE} (template, id)`);
}

async function addDevices(dataSource: DataSource, from: number, count: number): Promise<void> {
  await dataSource.query(
    `INSERT INTO ${TABLE} SELECT 'd-' || lpad(n::text, 7, '0'), 'vm' FROM generate_series($1::int, $2::int) AS n`,
    [from, from + count - 1],
  );
  // The statistics collector learns of the rows when this session next flushes its counts, which
  // could otherwise come after an analysis and count them as changed since.
  await dataSource.query(`SELECT pg_stat_force_next_flush()`);
}

async function rowsThePlannerKnows(dataSource: DataSource, table = TABLE): Promise<number> {
  const [row] = await queryRows<{ reltuples: number }>(dataSource, `SELECT reltuples FROM pg_class WHERE oid = $1::regclass`, [table]);
  return Number(row.reltuples);
}

/** The plan of one keyset page of the devices of a template, as the device sets page them. */
async function pagePlan(dataSource: DataSource): Promise<string> {
  const rows = await queryRows<{ 'QUERY PLAN': string }>(
    dataSource,
    `EXPLAIN SELECT d.id FROM ${TABLE} d WHERE d.id > $1 AND d.template = $2 ORDER BY d.id LIMIT 500`,
    ['d-0001000', 'vm'],
  );
  return rows.map((row) => row['QUERY PLAN']).join('\n');
}

function behavesAsExpected(open: () => Promise<{ dataSource: DataSource; close: () => Promise<void> }>): void {
  let dataSource: DataSource;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ dataSource, close } = await open());
    await createDevices(dataSource);
  });
  afterAll(async () => {
    await close?.();
  });

  it('analyses a table that grew since its statistics were taken, and only then', async () => {
    await addDevices(dataSource, 1, 20_000);
    expect(await rowsThePlannerKnows(dataSource)).toBeLessThan(0);
    // Never analysed, the planner guesses a few matches and sorts them all for each page.
    expect(await pagePlan(dataSource)).toMatch(/Sort/);

    expect(await analyzeWhenGrown(dataSource, TABLE)).toBe(true);
    expect(await rowsThePlannerKnows(dataSource)).toBe(20_000);
    expect(await pagePlan(dataSource)).not.toMatch(/Sort/);
    expect(await analyzeWhenGrown(dataSource, TABLE)).toBe(false);

    // A few percent more is left to the statistics there are.
    await addDevices(dataSource, 20_001, 1_000);
    expect(await analyzeWhenGrown(dataSource, TABLE)).toBe(false);
    expect(await rowsThePlannerKnows(dataSource)).toBe(20_000);

    await addDevices(dataSource, 21_001, 9_000);
    expect(await analyzeWhenGrown(dataSource, TABLE)).toBe(true);
    expect(await rowsThePlannerKnows(dataSource)).toBe(30_000);
  });

  it('is kept by a keeper that checks on its own, at its interval', async () => {
    await dataSource.query(`CREATE TABLE svc.job_devices (job_id text, device_id text, PRIMARY KEY (job_id, device_id))`);
    await dataSource.query(`INSERT INTO svc.job_devices SELECT 'job', 'd-' || n FROM generate_series(1, 20000) AS n`);
    // Counts still pending in the session when the keeper analyses would reach the collector after it and read as
    // changes since; the keeper starts once the collector has them.
    await dataSource.query(`SELECT pg_stat_force_next_flush()`);
    const keeper = new StatisticsKeeper({ executor: dataSource, tables: ['svc.job_devices'], intervalMs: 20 });
    keeper.start();
    try {
      await waitFor('the keeper to analyse the grown table', async () => (await rowsThePlannerKnows(dataSource, 'svc.job_devices')) === 20_000);
    } finally {
      await keeper.stop();
    }
    expect(await keeper.checkNow()).toEqual([]);
  });

  it('leaves a small table alone', async () => {
    await dataSource.query(`CREATE TABLE svc.small (id int PRIMARY KEY)`);
    await dataSource.query(`INSERT INTO svc.small SELECT generate_series(1, 200)`);
    expect(await analyzeWhenGrown(dataSource, 'svc.small')).toBe(false);
  });
}

describe('analyzeWhenGrown on PostgreSQL', () => {
  behavesAsExpected(async () => {
    const name = `fleetjobs_test_statistics_${randomBytes(6).toString('hex')}`;
    await adminQuery(`CREATE DATABASE "${name}"`);
    const url = new URL(testPostgresUrl());
    url.pathname = `/${name}`;
    // One connection: the rows' counts reach the collector from the session that wrote them, before the next statement.
    const dataSource = await new DataSource({ type: 'postgres', url: url.toString(), poolSize: 1 }).initialize();
    return {
      dataSource,
      close: async () => {
        await dataSource.destroy();
        await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      },
    };
  });
});

describe('analyzeWhenGrown on PGlite', () => {
  behavesAsExpected(async () => {
    const pglite: PgliteDataSource = await createPgliteDataSource();
    return { dataSource: pglite.dataSource, close: () => pglite.close() };
  });
});

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: testPostgresUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
