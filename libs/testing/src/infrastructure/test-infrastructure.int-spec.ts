import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { ensureKafkaBrokers } from '../kafka-broker';
import { LOCAL_TEST_POSTGRES_URL, testPostgresServerUrl } from '../test-postgres';
import { dockerEngineAnswers } from './docker-engine.probe';
import { provideTestInfrastructure } from './test-infrastructure';

async function brokersAnswer(brokers: string[]): Promise<number> {
  const admin = new Kafka({ clientId: 'fleetjobs-infrastructure-int', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return (await admin.describeCluster()).brokers.length;
  } finally {
    await admin.disconnect();
  }
}

describe('the tests’ infrastructure on this machine (no Docker engine)', () => {
  const folder = mkdtempSync(join(tmpdir(), 'fleetjobs-engine-'));
  const saved = { DOCKER_HOST: process.env.DOCKER_HOST, KAFKA_BROKERS: process.env.KAFKA_BROKERS };
  let engine: Server | undefined;
  afterAll(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    if (engine) await new Promise((resolve) => engine?.close(resolve));
    rmSync(folder, { recursive: true, force: true });
  });

  it('the Kafka helper runs the local broker even while a Docker engine answers', async () => {
    const socket = join(folder, 'docker.sock');
    engine = createServer((_request, response) => response.end('OK'));
    await new Promise<void>((resolve) => engine?.listen(socket, resolve));
    process.env.DOCKER_HOST = `unix://${socket}`;
    delete process.env.KAFKA_BROKERS;
    expect(await dockerEngineAnswers(process.env)).toBe(true);

    const brokers = await ensureKafkaBrokers();
    expect(brokers).toEqual([`127.0.0.1:${process.env.KAFKA_PORT ?? '9092'}`]);
    expect(await brokersAnswer(brokers)).toBeGreaterThan(0);
  });

  it('with nothing named and no engine answering, both pieces are the local services, and they answer', async () => {
    const environment: Record<string, string | undefined> = {};
    const lines: string[] = [];
    const provided = await provideTestInfrastructure(
      { postgres: true, kafka: true },
      { environment, dockerEngineAnswers: () => dockerEngineAnswers({ DOCKER_HOST: `unix://${join(folder, 'nothing.sock')}` }), log: (line) => lines.push(line) },
    );
    expect(provided.choice).toEqual({ postgres: 'local', kafka: 'local' });
    expect(environment).toEqual({});
    expect(lines).toEqual([expect.stringContaining('(no Docker engine answered)')]);
    await provided.stop();

    expect(testPostgresServerUrl(environment)).toBe(LOCAL_TEST_POSTGRES_URL);
    const client = new Client({ connectionString: `${testPostgresServerUrl(environment)}/postgres` });
    await client.connect();
    try {
      expect((await client.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
    }
    expect(await brokersAnswer(await ensureKafkaBrokers())).toBeGreaterThan(0);
  });
});
