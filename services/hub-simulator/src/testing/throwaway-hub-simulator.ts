import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { testPostgresUrl } from '@fleetjobs/testing';
import { HubSimulatorAdminClient } from '../hub-simulator-admin.client';
import { HubSimulator, startHubSimulator } from '../hub-simulator.server';
import { HubThrottleSettings } from '../hub-throttle';
import { generateTlsMaterial } from '../tls-certificate';

/** A hub simulator on its own freshly created PostgreSQL database, for tests. */
export interface ThrowawayHubSimulator {
  simulator: HubSimulator;
  admin: HubSimulatorAdminClient;
  dataSource: DataSource;
  databaseName: string;
  /** Stops the simulator and starts it again on the same database, port, key and certificate. */
  restart(): Promise<HubSimulator>;
  /** Stops everything and drops the database. */
  dispose(): Promise<void>;
}

export interface ThrowawayHubSimulatorOptions {
  /** A server URL whose database may create others. Default: the tests' server (testPostgresServerUrl). */
  adminUrl?: string;
  maxRequestsPerSecond?: number;
  throttle?: HubThrottleSettings | null;
}

export async function startThrowawayHubSimulator(options: ThrowawayHubSimulatorOptions = {}): Promise<ThrowawayHubSimulator> {
  const adminUrl = options.adminUrl ?? testPostgresUrl();
  const databaseName = `fleetjobs_test_hubsim_${randomBytes(6).toString('hex')}`;
  await withAdminClient(adminUrl, (client) => client.query(`CREATE DATABASE ${databaseName}`));
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  const dataSource = new DataSource({ type: 'postgres', url: url.toString(), extra: { max: 10 }, logging: ['error'] });
  await dataSource.initialize();

  const sharedAccessKey = randomBytes(32).toString('base64');
  const tls = await generateTlsMaterial();
  let simulator = await startHubSimulator({
    dataSource,
    sharedAccessKey,
    tls,
    maxRequestsPerSecond: options.maxRequestsPerSecond,
    throttle: options.throttle,
  });
  const admin = new HubSimulatorAdminClient(simulator.connectionString, simulator.caCertPem);

  const handle: ThrowawayHubSimulator = {
    simulator,
    admin,
    dataSource,
    databaseName,
    restart: async () => {
      await simulator.stop();
      simulator = await startHubSimulator({ dataSource, sharedAccessKey, tls, port: simulator.port });
      handle.simulator = simulator;
      return simulator;
    },
    dispose: async () => {
      admin.close();
      await simulator.stop();
      await dataSource.destroy();
      await withAdminClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`));
    },
  };
  return handle;
}

async function withAdminClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
