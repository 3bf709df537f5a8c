import { randomBytes } from 'node:crypto';
import { openPostgres } from '@fleetjobs/persistence-pg';
import { testPostgresUrl } from '@fleetjobs/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { projectionMigrations } from '../projection.migrations';

/** The PostgreSQL server the integration tests use; each test file gets its own database on it. */
const SERVER_URL = testPostgresUrl();

export interface ProjectionTestDb {
  url: string;
  dataSource: DataSource;
  /** Another pool on the same database, as a second replica of the service would have. */
  openAnother(): Promise<DataSource>;
  drop(): Promise<void>;
}

export async function createProjectionTestDb(): Promise<ProjectionTestDb> {
  const name = `fleetjobs_test_projection_${randomBytes(5).toString('hex')}`;
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const dataSource = await openPostgres({ url: url.toString(), migrations: projectionMigrations });
  const others: DataSource[] = [];
  return {
    url: url.toString(),
    dataSource,
    async openAnother() {
      const other = await openPostgres({ url: url.toString(), migrations: projectionMigrations });
      others.push(other);
      return other;
    },
    async drop() {
      await Promise.all([dataSource, ...others].filter((ds) => ds.isInitialized).map((ds) => ds.destroy()));
      const admin = new Client({ connectionString: SERVER_URL });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** Polls `read` until `accept` holds or the deadline passes; returns the last value read. */
export async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
