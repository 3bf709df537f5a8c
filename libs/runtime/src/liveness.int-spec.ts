import { randomBytes } from 'node:crypto';
import { Controller, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { TOPICS } from '@fleetjobs/contracts';
import { LivenessRegistry, ReadinessRegistry } from '@fleetjobs/http-kit';
import { ConsumeEvents, EventLogServer, SqlEventLog } from '@fleetjobs/messaging';
import { messagingTablesDdl, OutboxRelay } from '@fleetjobs/persistence-pg';
import { testPostgresUrl, waitFor } from '@fleetjobs/testing';
import { registerConsumerHealth } from './consumer-metrics';
import { InfraModule } from './infra.module';
import { ServiceOutbox } from './service-outbox';

const ADMIN_URL = testPostgresUrl();

@Controller()
class IdleConsumer {
  @ConsumeEvents(TOPICS.jobs, 'liveness-test')
  async handle(): Promise<void> {}
}

@Injectable()
class TestOutbox extends ServiceOutbox {
  protected readonly schema = 'svc';
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

// A process wired as both topologies wire it: its consumers' subscriptions and its outbox relay decide liveness.
describe('/health/live', () => {
  const database = `fleetjobs_test_liveness_${randomBytes(5).toString('hex')}`;
  let appData: DataSource;
  let logData: DataSource;
  let app: INestApplication;
  let base: string;

  const live = async () => {
    const response = await fetch(`${base}/health/live`);
    return { status: response.status, body: (await response.json()) as { status: string; checks: { name: string; ok: boolean }[] } };
  };

  beforeAll(async () => {
    await admin(`CREATE DATABASE "${database}"`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${database}`;
    appData = await new DataSource({ type: 'postgres', url: url.toString(), poolSize: 4 }).initialize();
    for (const statement of [...messagingTablesDdl('svc'), ...messagingTablesDdl('other')]) await appData.query(statement);
    // The event log gets its own connections, so that losing them kills the consumer and nothing else.
    logData = await new DataSource({ type: 'postgres', url: url.toString(), poolSize: 4 }).initialize();
    const eventLog = new SqlEventLog({ dataSource: logData, pollIntervalMs: 20, maxBackoffMs: 50, onError: () => undefined });

    @Module({
      imports: [InfraModule.forRoot({ dataSource: appData, eventLog, endpoints: { deviceSet: '', dispatcher: '', jobCommand: '', projection: '' } })],
      controllers: [IdleConsumer],
      providers: [TestOutbox],
    })
    class LivenessTestModule {}

    app = await NestFactory.create(LivenessTestModule, { logger: false });
    const server = new EventLogServer(eventLog);
    app.connectMicroservice({ strategy: server });
    registerConsumerHealth(server, { readiness: app.get(ReadinessRegistry), liveness: app.get(LivenessRegistry) });
    await app.startAllMicroservices();
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
    base = base.replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    if (logData?.isInitialized) await logData.destroy();
    if (appData?.isInitialized) await appData.destroy();
    await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  });

  it('answers ok while the consumers and the outbox relay run, and 503 once a consumer subscription has died', async () => {
    const before = await live();
    expect(before.status).toBe(200);
    expect(before.body.checks).toEqual(
      expect.arrayContaining([
        { name: 'svc-outbox-relay', ok: true },
        { name: 'consumers', ok: true },
      ]),
    );

    await logData.destroy();

    await waitFor('liveness to report the dead consumer', async () => (await live()).status === 503);
    const after = await live();
    expect(after.body.status).toBe('dead');
    expect(after.body.checks).toEqual(
      expect.arrayContaining([
        { name: 'svc-outbox-relay', ok: true },
        { name: 'consumers', ok: false },
      ]),
    );
    // Readiness keeps its own checks: the consumer is not running either.
    const ready = (await (await fetch(`${base}/health/ready`)).json()) as { checks: { name: string; ok: boolean }[] };
    expect(ready.checks).toContainEqual({ name: 'consumers', ok: false });
  });

  it('an outbox relay whose loop died is reported, not merely a failing publish', async () => {
    const failing = {
      publish: async () => {
        throw new Error('refused');
      },
    } as unknown as ConstructorParameters<typeof OutboxRelay>[0]['eventLog'];
    // Its own schema: the app's relay holds the lease of `svc`.
    await appData.query(`INSERT INTO other.outbox (topic, key, headers, value) VALUES ('t', 'k', '{}', '{}')`);
    const retrying = new OutboxRelay({ dataSource: appData, schema: 'other', eventLog: failing, onError: () => undefined });
    const dying = new OutboxRelay({
      dataSource: appData,
      schema: 'other',
      eventLog: failing,
      onError: () => {
        throw new Error('the error handler itself failed');
      },
    });
    retrying.start();
    await new Promise((resolve) => setImmediate(resolve));
    await retrying.stop();
    expect(retrying.isAlive()).toBe(true);
    dying.start();
    await waitFor('the relay loop to die', () => !dying.isAlive());
    await dying.stop();

  });
});
