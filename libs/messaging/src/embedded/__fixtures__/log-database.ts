import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createPgliteDataSource, PgliteDataSource } from '@fleetjobs/persistence-pg';
import { testPostgresUrl } from '@fleetjobs/testing';

/** The database an event log scenario runs on, which it can restart on the same storage. */
export interface LogDatabase {
  readonly name: string;
  current(): DataSource;
  /** Drops the current handle without waiting for running handlers, then opens the same storage again. */
  reopen(): Promise<DataSource>;
  dispose(): Promise<void>;
}

const ADMIN_URL = testPostgresUrl();

/** A throwaway database on the PostgreSQL server, dropped on dispose. */
export async function postgresLogDatabase(): Promise<LogDatabase> {
  const database = `fleetjobs_test_eventlog_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${database}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  const open = async () => {
    const dataSource = new DataSource({ type: 'postgres', url: url.toString(), poolSize: 10 });
    return dataSource.initialize();
  };
  let current = await open();
  return {
    name: 'PostgreSQL',
    current: () => current,
    async reopen() {
      await current.destroy();
      current = await open();
      return current;
    },
    async dispose() {
      if (current.isInitialized) await current.destroy();
      await adminQuery(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    },
  };
}

/** PGlite persisted in a temporary folder, removed on dispose. */
export async function pgliteLogDatabase(): Promise<LogDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), 'fleetjobs-eventlog-'));
  let current: PgliteDataSource;
  try {
    current = await createPgliteDataSource({ dataDir });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    name: 'PGlite',
    current: () => current.dataSource,
    async reopen() {
      await current.close();
      current = await createPgliteDataSource({ dataDir });
      return current.dataSource;
    },
    async dispose() {
      await current.close();
      await rm(dataDir, { recursive: true, force: true });
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
