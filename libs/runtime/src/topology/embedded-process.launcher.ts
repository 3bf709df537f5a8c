import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { newAdminToken } from './admin-token';
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
  );
  const startAndWait = async () => {
    child.start();
    await waitUntil(
      async () => {
        if (!child.running) throw new Error(`the embedded process exited; see ${child.logFile}`);
        return (await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(2000) })).ok;
      },
      { timeoutMs: 90_000, intervalMs: 250, what: 'the embedded process to be ready' },
    );
  };
  await startAndWait();
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
