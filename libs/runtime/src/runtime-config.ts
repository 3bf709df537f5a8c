import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createLogger } from '@fleetjobs/http-kit';
import { ServiceEndpoints } from './infra.tokens';

/** Default ports of the distributed topology; the API gateway serves the one public origin. */
export const DEFAULT_PORTS = {
  apiGateway: 3000,
  deviceSet: 3101,
  jobCommand: 3102,
  dispatcher: 3103,
  projection: 3104,
  hubSimulator: 8443,
} as const;

export function env(name: string, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
}

export function endpointsFromEnv(): ServiceEndpoints {
  const local = (port: number) => `http://127.0.0.1:${port}`;
  return {
    deviceSet: env('DEVICE_SET_URL', local(DEFAULT_PORTS.deviceSet)),
    jobCommand: env('JOB_COMMAND_URL', local(DEFAULT_PORTS.jobCommand)),
    dispatcher: env('DISPATCHER_URL', local(DEFAULT_PORTS.dispatcher)),
    projection: env('PROJECTION_URL', local(DEFAULT_PORTS.projection)),
  };
}

/** `postgres://…/fleetjobs_<service>` on the local server unless DATABASE_URL says otherwise. */
export function databaseUrlFromEnv(service: string): string {
  return env('DATABASE_URL', `postgres://postgres@127.0.0.1:5432/fleetjobs_${service.replace(/-/g, '_')}`);
}

export function kafkaBrokersFromEnv(): string[] {
  return env('KAFKA_BROKERS', '127.0.0.1:9092').split(',').map((broker) => broker.trim()).filter(Boolean);
}

/** The hub: one connection string, plus the CA of a local simulator's self-signed certificate. */
export function hubFromEnv(): { connectionString: string; caCertPem?: string } {
  const connectionString = process.env.HUB_CONNECTION_STRING;
  if (!connectionString) throw new Error('HUB_CONNECTION_STRING is required (the IoT Hub or simulator connection string)');
  const caFile = process.env.HUB_CA_CERT_FILE;
  return { connectionString, caCertPem: caFile ? readFileSync(caFile, 'utf8') : undefined };
}

/** A process that cannot start says why and exits non-zero, so supervisors restart it. */
export function exitOnStartupFailure(error: unknown): never {
  createLogger('fleetjobs').fatal({ err: error }, 'start-up failed');
  process.exit(1);
}

/** The repository root (where nx.json lives), whether running from source or from dist/. */
export function workspaceRoot(from = __dirname): string {
  let directory = from;
  while (!existsSync(join(directory, 'nx.json'))) {
    const parent = dirname(directory);
    if (parent === directory) return process.cwd();
    directory = parent;
  }
  return directory;
}
