import { PGlite } from '@electric-sql/pglite';
import type { uuid_ossp as UuidOsspExtension } from '@electric-sql/pglite/dist/contrib/uuid_ossp';
import type { createPgConfig as CreatePgConfig } from '@electric-sql/pglite/dist/node-postgres/index';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { PgliteWorkerClient } from './pglite-worker.client';

// The package's subpath exports are invisible to this workspace's `node` module resolution, so the
// types come from the files themselves and the code from the exports Node resolves at run time.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createPgConfig } = require('@electric-sql/pglite/node-postgres') as { createPgConfig: typeof CreatePgConfig };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { uuid_ossp } = require('@electric-sql/pglite/contrib/uuid_ossp') as { uuid_ossp: typeof UuidOsspExtension };

/**
 * PGlite's WebAssembly memory only grows, and PostgreSQL's default 128MB of shared buffers end up
 * fully touched once the database is larger than that, so they would stay resident for the life of
 * the process. The files live on the local disk, whose page cache serves the pages these smaller
 * buffers evict; wal_buffers follows shared_buffers (1/32).
 */
const PGLITE_SETTINGS = ['-c', 'shared_buffers=64MB'];

export interface PgliteDataSourceOptions {
  /** Folder holding the database files (created if missing); undefined keeps the database in memory. */
  dataDir?: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations?: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: Function[];
  /**
   * Runs PGlite in a worker thread, so that SQL executes beside this thread's JavaScript instead
   * of in turn with it (PGlite computes synchronously on the thread that owns it).
   */
  worker?: boolean;
  /** With `worker`: told if the worker ends other than by `close()`; every query fails from then on. */
  onWorkerExit?: (error: Error) => void;
}

export interface PgliteDataSource {
  /** Initialized; migrations are not run (callers run `dataSource.runMigrations()`). */
  dataSource: DataSource;
  /** PGlite itself, or with `worker` its stand-in on this thread. */
  pglite: PGlite | PgliteWorkerClient;
  /** Destroys the DataSource, then closes PGlite so everything is flushed to `dataDir`. */
  close(): Promise<void>;
}

/**
 * An embedded PostgreSQL (PGlite, in WebAssembly, in this process) behind TypeORM's stock postgres
 * driver, through PGlite's node-postgres adapter. The adapter exposes one connection, so
 * transactions run one after another; never call the DataSource (outside the transaction's
 * manager) from inside a transaction, it would wait for itself.
 * Starting costs seconds and hundreds of MiB: open one per process.
 */
export async function createPgliteDataSource(options: PgliteDataSourceOptions = {}): Promise<PgliteDataSource> {
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  if (dataDir) {
    await mkdir(dataDir, { recursive: true });
    if (!existsSync(join(dataDir, 'PG_VERSION'))) await initializeDataDirApart(dataDir);
  }
  const startParams = [...PGlite.defaultStartParams, ...PGLITE_SETTINGS];
  let pglite: PGlite | PgliteWorkerClient;
  if (options.worker) {
    pglite = new PgliteWorkerClient({ dataDir, startParams }, options.onWorkerExit);
    try {
      await pglite.waitReady;
    } catch (error) {
      await pglite.close();
      throw error;
    }
  } else {
    // uuid-ossp backs uuid_generate_v4(), which TypeORM uses for generated uuid columns.
    pglite = await PGlite.create(dataDir, { extensions: { uuid_ossp }, startParams });
  }
  const dataSource = new DataSource({
    type: 'postgres',
    // The adapter takes anything with PGlite's execProtocolStream for a PGlite.
    extra: createPgConfig(pglite as PGlite),
    poolSize: 1,
    entities: options.entities ?? [],
    migrations: options.migrations ?? [],
    migrationsTransactionMode: 'each',
    migrationsRun: false,
    synchronize: false,
    // A failed query is thrown to its caller, which logs it as JSON if it is an error at all: a
    // concurrent append refused by the events' key is expected and decided again. TypeORM's own
    // logger would print it as plain text among the process's JSON lines.
    logging: false,
  });
  try {
    await dataSource.initialize();
  } catch (error) {
    await pglite.close();
    throw error;
  }
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      try {
        if (dataSource.isInitialized) await dataSource.destroy();
      } finally {
        if (!pglite.closed) await pglite.close();
      }
    })());
  return { dataSource, pglite, close };
}

// Creates the database files and closes them cleanly, so that this process only ever opens an
// existing database.
const INITIALIZE = `
const [pglitePath, dataDir, ...startParams] = process.argv.slice(1);
require(pglitePath).PGlite.create(dataDir, { startParams })
  .then((pglite) => pglite.close())
  .catch((error) => { console.error(error); process.exit(1); });
`;

/**
 * PGlite creates a new database by running initdb in a second, in-memory PGlite and copying its
 * files out as an archive: about 700 MiB for a few seconds, much of which stays resident in the
 * process afterwards. A short-lived child pays that once, before this process opens the files.
 */
async function initializeDataDirApart(dataDir: string): Promise<void> {
  const args = ['-e', INITIALIZE, '--', require.resolve('@electric-sql/pglite'), dataDir, ...PGlite.defaultStartParams, ...PGLITE_SETTINGS];
  try {
    await promisify(execFile)(process.execPath, args, { env: { PATH: process.env.PATH ?? '' }, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`creating the PGlite database in ${dataDir} failed: ${stderr.trim() || String(error)}`);
  }
}
