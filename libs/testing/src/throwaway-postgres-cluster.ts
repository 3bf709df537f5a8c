import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A PostgreSQL server of a test's own, which the test may stop and start (the shared one on 5432 is never touched). */
export interface ThrowawayPostgresCluster {
  readonly port: number;
  /** A connection URL to `database` on this cluster (trust auth, user postgres). */
  url(database?: string): string;
  /** Starts the server again after `stop()`. */
  start(): Promise<void>;
  /**
   * Stops the server: `fast` disconnects clients with 57P01 (admin shutdown), `immediate` drops
   * them as a crash would. New connections are refused until `start()`.
   */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Stops the server and deletes its files. */
  destroy(): Promise<void>;
}

const SHARED_PORT = 5432;
const START_ATTEMPTS = 3;

/**
 * Creates and starts a PostgreSQL cluster in a temporary directory on a free port, with `initdb`
 * and `pg_ctl` of the installed server (`PG_BIN` to choose another). When the tests run as root,
 * the server runs as the `postgres` OS user, as PostgreSQL requires.
 */
export async function startThrowawayPostgresCluster(): Promise<ThrowawayPostgresCluster> {
  const bin = postgresBinDirectory();
  const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
  const root = mkdtempSync(join(tmpdir(), 'fleetjobs-pg-'));
  if (owner) chownSync(root, owner.uid, owner.gid);
  const dataDirectory = join(root, 'data');
  const run = (tool: string, args: string[]) => runAs(owner, join(bin, tool), args);
  await run('initdb', ['-D', dataDirectory, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);

  let port = 0;
  let running = false;
  const start = async () => {
    for (let attempt = 1; ; attempt++) {
      port ||= await freePort();
      if (port === SHARED_PORT) throw new Error('refusing to run a throwaway cluster on the shared port 5432');
      try {
        await run('pg_ctl', [
          '-D', dataDirectory, '-l', join(root, 'server.log'), '-w', '-t', '60',
          '-o', `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`,
          'start',
        ]);
        running = true;
        return;
      } catch (error) {
        // Another process may have taken the port between probing and binding it.
        if (attempt >= START_ATTEMPTS) throw error;
        port = 0;
      }
    }
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    if (!running) return;
    await run('pg_ctl', ['-D', dataDirectory, '-m', mode, '-w', '-t', '60', 'stop']);
    running = false;
  };
  // A test that dies without destroy() leaves no server behind.
  const stopOnExit = () => {
    if (running) spawnSync(join(bin, 'pg_ctl'), ['-D', dataDirectory, '-m', 'immediate', 'stop'], { stdio: 'ignore', ...owner });
  };
  process.once('exit', stopOnExit);

  try {
    await start();
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return {
    get port() {
      return port;
    },
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start,
    stop,
    async destroy() {
      await stop('immediate');
      process.removeListener('exit', stopOnExit);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

function postgresBinDirectory(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const installed = '/usr/lib/postgresql';
  if (existsSync(installed)) {
    const versions = readdirSync(installed)
      .filter((version) => existsSync(join(installed, version, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return join(installed, versions[0], 'bin');
  }
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('PostgreSQL server binaries not found: install them or set PG_BIN to the directory holding initdb and pg_ctl');
  }
}

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

function runAs(owner: { uid: number; gid: number } | undefined, file: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { ...owner, cwd: tmpdir(), timeout: 120_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve();
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
