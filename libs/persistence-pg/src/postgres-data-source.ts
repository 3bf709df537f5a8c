import { Client } from 'pg';
import { DataSource, MigrationInterface } from 'typeorm';

export interface PostgresDataSourceOptions {
  url: string;
  migrations: (new () => MigrationInterface)[];
  poolSize?: number;
}

/** A TypeORM data source on a PostgreSQL server; callers `initialize()` and `runMigrations()`. */
export function createPostgresDataSource(options: PostgresDataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    migrations: options.migrations,
    migrationsTransactionMode: 'each',
    synchronize: false,
    // A failed query is thrown to its caller, which logs it as JSON if it is an error at all: a
    // concurrent append refused by the events' key is expected and decided again. TypeORM's own
    // logger would print it as plain text among the process's JSON lines.
    logging: false,
    extra: { max: options.poolSize ?? 10, application_name: 'fleetjobs' },
  });
}

/** Creates the database named in `url` if the server lacks it (one database per service). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error;
      });
    }
  } finally {
    await client.end();
  }
}

/**
 * Opens the data source, creating the database first and applying pending migrations. Replicas
 * of a service start together, so migrations run under an advisory lock: one applies them, the
 * others wait and then find nothing left to do.
 */
export async function openPostgres(options: PostgresDataSourceOptions): Promise<DataSource> {
  await ensureDatabase(options.url);
  const dataSource = createPostgresDataSource(options);
  await dataSource.initialize();
  const lock = new Client({ connectionString: options.url });
  await lock.connect();
  try {
    await lock.query("SELECT pg_advisory_lock(hashtext('fleetjobs-migrations'))");
    await dataSource.runMigrations();
  } finally {
    await lock.end();
  }
  return dataSource;
}
