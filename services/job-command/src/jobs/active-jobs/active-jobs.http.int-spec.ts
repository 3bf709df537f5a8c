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
import { NO_OVERLAPS } from '../../testing/job-command-kafka.harness';
import { JOB_PREVIEW_SOURCES } from '../preview/job-preview-sources.port';
import { jobCommandMigrations } from '../../job-command.migrations';
import { JOB_COMMAND_SCHEMA } from '../../job-command.schema';

const MAX_ACTIVE = 2;
const aJob = { displayName: 'Raise fan speed', deviceSet: 'seattle-vms', operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }] };

/**
 * job-command with MAX_ACTIVE_JOBS=2 on real PostgreSQL, asking a stand-in device-set that accepts
 * every definition: jobs begin while a place is free, a job that ends frees its place, and jobs
 * asked for at once never take more places than there are.
 */
describe('the most jobs active at once', () => {
  const database = `fleetjobs_test_active_jobs_${randomBytes(5).toString('hex')}`;
  let dataSource: DataSource;
  let eventLog: SqlEventLog;
  let app: INestApplication;
  let deviceSet: Server;
  let base: string;

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
  const eventsOf = async (jobId: string) =>
    (await dataSource.query(`SELECT count(*)::int AS n FROM ${JOB_COMMAND_SCHEMA}.events WHERE stream_id = $1`, [jobId]))[0].n as number;

  beforeAll(async () => {
    deviceSet = createServer((request, response) => {
      request.resume().once('end', () => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ template: 'vending-machine' }));
      });
    });
    deviceSet.listen(0, '127.0.0.1');
    await once(deviceSet, 'listening');
    const endpoints: ServiceEndpoints = { deviceSet: `http://127.0.0.1:${(deviceSet.address() as AddressInfo).port}`, dispatcher: '', jobCommand: '', projection: '' };
    dataSource = await openPostgres({ url: testPostgresUrl(database), migrations: jobCommandMigrations });
    eventLog = new SqlEventLog({ dataSource, pollIntervalMs: 20, maxBackoffMs: 500 });
    await eventLog.init();
    await eventLog.ensureTopics(ALL_TOPICS, 2);
    process.env.MAX_ACTIVE_JOBS = String(MAX_ACTIVE);
    try {
      const moduleRef = await Test.createTestingModule({ imports: [InfraModule.forRoot({ dataSource, eventLog, endpoints }), JobCommandModule] })
        // No other job holds any device: nothing here conflicts.
        .overrideProvider(JOB_PREVIEW_SOURCES)
        .useValue(NO_OVERLAPS)
        .compile();
      app = moduleRef.createNestApplication({ bodyParser: false, logger: ['error'] });
      configureHttpApp(app);
      await app.listen(0, '127.0.0.1');
    } finally {
      delete process.env.MAX_ACTIVE_JOBS;
    }
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    await eventLog?.close().catch(() => undefined);
    if (dataSource?.isInitialized) await dataSource.destroy();
    deviceSet?.closeAllConnections();
    await new Promise((resolve) => deviceSet?.close(resolve));
    const admin = new Client({ connectionString: testPostgresUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  it('refuses a job over the limit with 429 and Retry-After, writing nothing, and takes it once a job has ended', async () => {
    expect((await call('PUT', '/api/jobs/first', aJob)).status).toBe(201);
    expect((await call('PUT', '/api/jobs/second', aJob)).status).toBe(201);
    // The same request again is the same job: it takes no second place.
    expect((await call('PUT', '/api/jobs/first', aJob)).status).toBe(200);

    const refused = await call('PUT', '/api/jobs/third', aJob);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(refused.body.detail).toMatch(/MAX_ACTIVE_JOBS/);
    expect(await eventsOf('third')).toBe(0);

    expect((await call('POST', '/api/jobs/first/stop')).status).toBe(200);
    expect((await call('PUT', '/api/jobs/third', aJob)).status).toBe(201);
  });

  it('gives the last free place to exactly one of several jobs asked for at once', async () => {
    expect((await call('POST', '/api/jobs/second/stop')).status).toBe(200);
    const answers = await Promise.all(['race-1', 'race-2', 'race-3', 'race-4'].map((id) => call('PUT', `/api/jobs/${id}`, aJob)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 429, 429, 429]);
    const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM ${JOB_COMMAND_SCHEMA}.active_jobs`);
    expect(n).toBe(MAX_ACTIVE);
  });
});
