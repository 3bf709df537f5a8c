import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { testPostgresUrl } from '@fleetjobs/testing';
import { eventStoreDdl } from '../../event-store/pg-event-store';
import { messagingTablesDdl } from '../../messaging-tables';
import { createPostgresDataSource, ensureDatabase } from '../../postgres-data-source';

const ADMIN_URL = testPostgresUrl();

/** A throwaway database with one service schema: outbox, inbox, events, and a `facts` table for business rows. */
export interface ThrowawaySchemaDatabase {
  schema: string;
  dataSource: DataSource;
  /** Another pool on the same database, as a second replica of the service has. */
  openAnother(): Promise<DataSource>;
  rows<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

export async function openThrowawaySchemaDatabase(schema = 'svc'): Promise<ThrowawaySchemaDatabase> {
  const name = `fleetjobs_test_uow_${randomBytes(6).toString('hex')}`;
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  await ensureDatabase(url.toString());
  const open = () => {
    const { options } = createPostgresDataSource({ url: url.toString(), migrations: [] });
    // Scenarios provoke unique violations on purpose; logging each one only buries real failures.
    return new DataSource({ ...options, logging: false } as DataSourceOptions).initialize();
  };
  const dataSource = await open();
  for (const ddl of [
    ...messagingTablesDdl(schema),
    ...eventStoreDdl(schema),
    `CREATE TABLE ${schema}.facts (id text PRIMARY KEY, note text NOT NULL)`,
  ]) {
    await dataSource.query(ddl);
  }
  const pools: DataSource[] = [dataSource];
  return {
    schema,
    dataSource,
    async openAnother() {
      const other = await open();
      pools.push(other);
      return other;
    },
    rows: (sql, params = []) => dataSource.query(sql, params),
    async drop() {
      await Promise.all(pools.filter((pool) => pool.isInitialized).map((pool) => pool.destroy()));
      const admin = new Client({ connectionString: ADMIN_URL });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}
