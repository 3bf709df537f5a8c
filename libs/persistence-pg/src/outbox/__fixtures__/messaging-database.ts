import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { testPostgresUrl } from '@fleetjobs/testing';
import { messagingTablesDdl } from '../../messaging-tables';

const ADMIN_URL = testPostgresUrl();

/** A throwaway database on the PostgreSQL server with one service schema's messaging tables. */
export interface MessagingDatabase {
  dataSource: DataSource;
  schema: string;
  url: string;
  rows<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

export async function openMessagingDatabase(extraDdl: (schema: string) => string[] = () => []): Promise<MessagingDatabase> {
  const name = `fleetjobs_test_messaging_${randomBytes(6).toString('hex')}`;
  const schema = 'svc';
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const dataSource = await new DataSource({ type: 'postgres', url: url.toString(), poolSize: 6 }).initialize();
  for (const statement of [...messagingTablesDdl(schema), ...extraDdl(schema)]) await dataSource.query(statement);
  return {
    dataSource,
    schema,
    url: url.toString(),
    rows: (sql, params = []) => dataSource.query(sql, params),
    async drop() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
