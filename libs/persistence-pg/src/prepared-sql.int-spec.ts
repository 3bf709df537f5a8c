import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import { testPostgresUrl } from '@fleetjobs/testing';
import { createPgliteDataSource } from './pglite/pglite-data-source';
import { isUniqueViolation, preparedStatementName, queryPrepared } from './sql';

const INSERT = `INSERT INTO items (id, label) VALUES ($1, $2) RETURNING id, label`;
const BY_ID = `SELECT id, label FROM items WHERE id = $1`;

/** The prepared statements of the connection that answers (one connection per data source here). */
async function preparedStatements(dataSource: DataSource): Promise<string[]> {
  const rows: { name: string }[] = await dataSource.query(`SELECT name FROM pg_prepared_statements WHERE name LIKE 'fj\\_%' ORDER BY name`);
  return rows.map((row) => row.name);
}

function behavesAsExpected(open: () => Promise<{ dataSource: DataSource; close: () => Promise<void> }>): void {
  let dataSource: DataSource;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ dataSource, close } = await open());
    await dataSource.query(`CREATE TABLE items (id int PRIMARY KEY, label text NOT NULL)`);
  });
  afterAll(async () => {
    await close?.();
  });

  it('runs a statement prepared once on the connection, then by name, with new values each time', async () => {
    expect(await queryPrepared(dataSource, INSERT, [1, 'one'])).toEqual([{ id: 1, label: 'one' }]);
    expect(await queryPrepared(dataSource, INSERT, [2, 'two'])).toEqual([{ id: 2, label: 'two' }]);
    expect(await queryPrepared(dataSource, BY_ID, [2])).toEqual([{ id: 2, label: 'two' }]);
    expect(await preparedStatements(dataSource)).toEqual([preparedStatementName(INSERT), preparedStatementName(BY_ID)].sort());
  });

  it("runs inside a transaction on the transaction's connection, and is undone with it", async () => {
    await expect(
      dataSource.transaction(async (manager) => {
        await queryPrepared(manager, INSERT, [3, 'three']);
        expect(await queryPrepared(manager, BY_ID, [3])).toEqual([{ id: 3, label: 'three' }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await queryPrepared(dataSource, BY_ID, [3])).toEqual([]);
  });

  it("fails as TypeORM's queries fail, naming the statement, and the statement stays usable", async () => {
    const failure = await queryPrepared(dataSource, INSERT, [1, 'again']).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(QueryFailedError);
    expect(isUniqueViolation(failure)).toBe(true);
    expect((failure as QueryFailedError).query).toBe(INSERT);
    expect(await queryPrepared(dataSource, INSERT, [4, 'four'])).toEqual([{ id: 4, label: 'four' }]);
  });

  it('names each text apart, and the same text always alike', () => {
    expect(preparedStatementName(INSERT)).toBe(preparedStatementName(`${INSERT}`));
    expect(preparedStatementName(INSERT)).not.toBe(preparedStatementName(BY_ID));
  });
}

describe('queryPrepared on PostgreSQL', () => {
  behavesAsExpected(async () => {
    const name = `fleetjobs_test_prepared_${randomBytes(6).toString('hex')}`;
    await adminQuery(`CREATE DATABASE "${name}"`);
    const url = new URL(testPostgresUrl());
    url.pathname = `/${name}`;
    // One connection, so that the statements it prepared can be listed from it.
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

describe('queryPrepared on PGlite', () => {
  behavesAsExpected(async () => {
    const pglite = await createPgliteDataSource();
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
