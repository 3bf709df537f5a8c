import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import type { HostMessage } from './hub-simulator.host';

/** The hub simulator in a process of its own (`hub-simulator.host.js`), on a fresh PostgreSQL database. */
export interface SimulatorHost {
  connectionString: string;
  caCertPem: string;
  /** The simulator process's CPU time so far, in milliseconds. */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

export async function startSimulatorHost(serverUrl: string, database: string): Promise<SimulatorHost> {
  const admin = new Client({ connectionString: `${serverUrl}/postgres` });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  const child: ChildProcess = fork(join(__dirname, 'hub-simulator.host.js'), [], {
    env: { ...process.env, BENCH_HUB_STORE: 'postgres', DATABASE_URL: `${serverUrl}/${database}` },
  });
  const next = (type: HostMessage['type']): Promise<HostMessage> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: HostMessage): void => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message);
      };
      const onExit = (code: number | null): void => reject(new Error(`the simulator host exited (${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ready = (await next('ready')) as Extract<HostMessage, { type: 'ready' }>;
  return {
    connectionString: ready.connectionString,
    caCertPem: ready.caCertPem,
    cpuMs: async () => {
      const answer = next('cpu');
      child.send({ type: 'cpu' });
      const usage = (await answer) as Extract<HostMessage, { type: 'cpu' }>;
      return (usage.userMicros + usage.systemMicros) / 1000;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send({ type: 'stop' });
      }),
  };
}
