import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ALL_TOPICS } from '@fleetjobs/contracts';
import { configureHttpApp } from '@fleetjobs/http-kit';
import { SqlEventLog } from '@fleetjobs/messaging';
import { openPostgres } from '@fleetjobs/persistence-pg';
import { InfraModule, ServiceEndpoints } from '@fleetjobs/runtime';
import { testPostgresUrl } from '@fleetjobs/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { JobCommandModule } from '../../job-command.module';
import { jobCommandMigrations } from '../../job-command.migrations';
import { JOB_COMMAND_SCHEMA } from '../../job-command.schema';
import { NO_OVERLAPS } from '../../testing/job-command-kafka.harness';
import { JOB_PREVIEW_SOURCES } from '../preview/job-preview-sources.port';
import { DueStartsPoller } from './due-starts.poller';

const aJob = (startAt: string) => ({
  displayName: 'Night reboot',
  deviceSet: 'seattle-vms',
  operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
  schedule: { startAt },
});

/**
 * Scheduled starts on real PostgreSQL with job-command run as several processes on one database:
 * a start survives the process that scheduled it, and processes polling at once start it once.
 */
describe('scheduled starts across processes', () => {
  const database = `fleetjobs_test_due_starts_${randomBytes(5).toString('hex')}`;
  const dataSources: DataSource[] = [];
  const apps: INestApplication[] = [];
  let deviceSet: Server;
  let endpoints: ServiceEndpoints;

  /** One job-command process: its own connection pool, event log client and poller. */
  async function aProcess(): Promise<{ app: INestApplication; poller: DueStartsPoller; base: string }> {
    const dataSource = await openPostgres({ url: testPostgresUrl(database), migrations: jobCommandMigrations });
    dataSources.push(dataSource);
    const eventLog = new SqlEventLog({ dataSource, pollIntervalMs: 20, maxBackoffMs: 500 });
    await eventLog.init();
    await eventLog.ensureTopics(ALL_TOPICS, 2);
    const moduleRef = await Test.createTestingModule({ imports: [InfraModule.forRoot({ dataSource, eventLog, endpoints }), JobCommandModule] })
      .overrideProvider(JOB_PREVIEW_SOURCES)
      .useValue(NO_OVERLAPS)
      .compile();
    const app = moduleRef.createNestApplication({ bodyParser: false, logger: ['error'] });
    configureHttpApp(app);
    await app.listen(0, '127.0.0.1');
    apps.push(app);
    return { app, poller: app.get(DueStartsPoller), base: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
  }

  const dueRows = async () => (await dataSources[0].query(`SELECT job_id FROM ${JOB_COMMAND_SCHEMA}.due_starts ORDER BY job_id`)) as { job_id: string }[];
  const reachedEvents = async (jobId: string) =>
    (await dataSources[0].query(`SELECT count(*)::int AS n FROM ${JOB_COMMAND_SCHEMA}.events WHERE stream_id = $1 AND type = 'JobStartReached'`, [jobId]))[0].n as number;

  beforeAll(async () => {
    deviceSet = createServer((request, response) => {
      request.resume().once('end', () => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ template: 'vending-machine' }));
      });
    });
    deviceSet.listen(0, '127.0.0.1');
    await once(deviceSet, 'listening');
    endpoints = { deviceSet: `http://127.0.0.1:${(deviceSet.address() as AddressInfo).port}`, dispatcher: '', jobCommand: '', projection: '' };
  });

  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    for (const dataSource of dataSources) if (dataSource.isInitialized) await dataSource.destroy();
    deviceSet?.closeAllConnections();
    await new Promise((resolve) => deviceSet?.close(resolve));
    const admin = new Client({ connectionString: testPostgresUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  it('a start scheduled by a process that is gone is reached once, however many processes poll at once', async () => {
    const startAt = new Date(Date.now() + 3_600_000);
    const first = await aProcess();
    const created = await fetch(`${first.base}/api/jobs/night`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(aJob(startAt.toISOString())),
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ status: 'pending', nextStartAt: startAt.toISOString() });
    expect(await dueRows()).toEqual([{ job_id: 'night' }]);

    // Not due yet: nothing happens.
    expect(await first.poller.startDue(new Date(startAt.getTime() - 1))).toBe(0);
    await first.app.close();

    const [second, third] = [await aProcess(), await aProcess()];
    const due = new Date(startAt.getTime() + 1);
    const started = await Promise.all([second.poller.startDue(due), third.poller.startDue(due), second.poller.startDue(due), third.poller.startDue(due)]);
    expect(started.reduce((sum, n) => sum + n, 0)).toBe(1);
    expect(await reachedEvents('night')).toBe(1);
    expect(await dueRows()).toEqual([]);
    const job = await (await fetch(`${second.base}/internal/jobs/night`)).json();
    expect(job).toMatchObject({ status: 'pending', nextStartAt: null });
  });

  it('a due job still awaiting approval is looked at later, not dropped', async () => {
    const startAt = new Date(Date.now() + 3_600_000);
    const process = await aProcess();
    const created = await fetch(`${process.base}/api/jobs/night-approval`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...aJob(startAt.toISOString()), approval: { required: true } }),
    });
    expect(created.status).toBe(201);
    expect(await process.poller.startDue(new Date(startAt.getTime() + 1))).toBe(0);
    expect(await reachedEvents('night-approval')).toBe(0);
    expect((await dueRows()).map((row) => row.job_id)).toContain('night-approval');
  });
});
