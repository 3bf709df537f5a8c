import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { newAdminToken } from './admin-token';
import { EMBEDDED_NODE_FLAGS } from './embedded-node.flags';
import { join } from 'node:path';
import { workspaceRoot } from '../runtime-config';
import { ServiceProcess } from './service-process';
import { waitUntil } from './wait-until';

/** Where the embedded process writes how to reach its in-process hub simulator. */
export const EMBEDDED_HUB_FILES = { connectionString: 'hub/connection-string', caCert: 'hub/cert.pem' } as const;

export interface EmbeddedProcess {
  baseUrl: string;
  dataDir: string;
  process: ServiceProcess;
  /** An administrator API token the process was started with (`FLEETJOBS_ADMIN_TOKEN`). */
  adminToken: string;
  /** The in-process hub simulator, or the hub named by `env.HUB_CONNECTION_STRING` / `HUB_CA_CERT_FILE`. */
  hub: { connectionString: string; caFile: string };
  /** Starts it again on the same data directory and waits until it is ready. */
  restart(): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Runs `npm start`'s process (all of Fleetjobs in one process) as a child, for tests and benchmarks. */
export async function startEmbeddedProcess(options: {
  port: number;
  dataDir: string;
  env?: Record<string, string>;
}): Promise<EmbeddedProcess> {
  const script = join(workspaceRoot(), 'dist', 'services', 'embedded', 'src', 'main.js');
  if (!existsSync(script)) throw new Error('dist/ is missing: run `npm run build` first');
  mkdirSync(options.dataDir, { recursive: true });
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const adminToken = options.env?.FLEETJOBS_ADMIN_TOKEN ?? newAdminToken();
  const child = new ServiceProcess(
    'embedded',
    script,
    { PATH: process.env.PATH, PORT: String(options.port), DATA_DIR: options.dataDir, FLEETJOBS_DEMO: 'off', FLEETJOBS_ADMIN_TOKEN: adminToken, ...options.env },
    options.dataDir,
    EMBEDDED_NODE_FLAGS,
  );
  const startAndWait = async () => {
    // A process left behind on the port would answer the readiness probe before this child fails
    // to listen there, and the caller would drive a system that is not the one it started.
    if (await somethingListens(options.port)) throw new Error(`port ${options.port} of 127.0.0.1 is taken by another process`);
    child.start();
    await waitUntil(
      async () => {
        if (!child.running) throw new Error(`the embedded process exited; see ${child.logFile}`);
        return (await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(2000) })).ok;
      },
      { timeoutMs: 90_000, intervalMs: 250, what: 'the embedded process to be ready' },
    );
  };
  // A process that never got ready is not left running behind the caller's error.
  await startAndWait().catch(async (error: unknown) => {
    await child.stop('SIGKILL').catch(() => undefined);
    throw error;
  });
  const externalHub = options.env?.HUB_CONNECTION_STRING;
  const hub = externalHub
    ? { connectionString: externalHub, caFile: options.env?.HUB_CA_CERT_FILE ?? '' }
    : {
        connectionString: readFileSync(join(options.dataDir, EMBEDDED_HUB_FILES.connectionString), 'utf8').trim(),
        caFile: join(options.dataDir, EMBEDDED_HUB_FILES.caCert),
      };
  return {
    baseUrl,
    dataDir: options.dataDir,
    process: child,
    adminToken,
    hub,
    restart: startAndWait,
    stop: (signal = 'SIGTERM') => child.stop(signal),
  };
}

/** Whether a connection to the port of 127.0.0.1 is accepted right now. */
function somethingListens(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
