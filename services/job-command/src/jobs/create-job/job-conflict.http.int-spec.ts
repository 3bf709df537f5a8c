import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ALL_TOPICS } from '@fleetjobs/contracts';
import { configureHttpApp } from '@fleetjobs/http-kit';
import { SqlEventLog } from '@fleetjobs/messaging';
import { openPostgres } from '@fleetjobs/persistence-pg';
import { InfraModule, ServiceEndpoints } from '@fleetjobs/runtime';
import { testPostgresUrl, waitFor } from '@fleetjobs/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { JobCommandModule } from '../../job-command.module';
import { jobCommandMigrations } from '../../job-command.migrations';
import { JOB_COMMAND_SCHEMA } from '../../job-command.schema';

const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, n) => `vm-${String(from + n).padStart(4, '0')}`);
const fan = (value: number, devices = ids(0, 10)) => ({
  displayName: 'Fan speed',
  deviceSet: 'seattle-vms',
  devices,
  operations: [{ type: 'setting', name: 'fanSpeed', value }],
});

/** The devices each job holds, as the projection would answer; a job is listed only once created here. */
const HOLDS: Record<string, { operations: { type: string; name: string }[]; devices: Set<string> }> = {};

async function bodyOf(request: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

/**
 * Creation's conflict check on real PostgreSQL, asking stand-ins for device-set (every definition
 * fits) and the projection (which jobs hold which devices): a conflicting job is refused naming
 * the other job, queued behind it (and started once it ends), or allowed; a job writing nothing
 * is never checked.
 */
describe('PUT /api/jobs/{id} with active jobs writing the same', () => {
  const database = `fleetjobs_test_conflict_${randomBytes(5).toString('hex')}`;
  let dataSource: DataSource;
  let eventLog: SqlEventLog;
  let app: INestApplication;
  let peers: Server;
  let base: string;
  let overlapQuestions = 0;

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const eventTypes = async (jobId: string) =>
    (await dataSource.query(`SELECT type FROM ${JOB_COMMAND_SCHEMA}.events WHERE stream_id = $1 ORDER BY version`, [jobId])).map(
      (row: { type: string }) => row.type,
    ) as string[];
  const answer = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  /** What the projection would know once a created job's targets are resolved. */
  const projected = (jobId: string, body: ReturnType<typeof fan>) => {
    HOLDS[jobId] = { operations: body.operations, devices: new Set(body.devices) };
  };

  beforeAll(async () => {
    peers = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://peers');
      void bodyOf(request).then((body) => {
        if (url.pathname === '/internal/job-definition-checks') return answer(response, 200, { template: 'vending-machine' });
        if (url.pathname === '/internal/job-overlaps') {
          overlapQuestions += 1;
          const value = Object.entries(HOLDS)
            .filter(([jobId]) => jobId !== body.excludeJobId)
            .map(([jobId, job]) => ({
              jobId,
              displayName: `Job ${jobId}`,
              status: 'running',
              operations: job.operations,
              sharedDevices: body.deviceIds.filter((id: string) => job.devices.has(id)).length,
            }))
            .filter((job) => job.sharedDevices > 0);
          return answer(response, 200, { value });
        }
        return answer(response, 404, {});
      });
    });
    peers.listen(0, '127.0.0.1');
    await once(peers, 'listening');
    const peer = `http://127.0.0.1:${(peers.address() as AddressInfo).port}`;
    const endpoints: ServiceEndpoints = { deviceSet: peer, dispatcher: '', jobCommand: '', projection: peer };
    dataSource = await openPostgres({ url: testPostgresUrl(database), migrations: jobCommandMigrations });
    eventLog = new SqlEventLog({ dataSource, pollIntervalMs: 20, maxBackoffMs: 500 });
    await eventLog.init();
    await eventLog.ensureTopics(ALL_TOPICS, 2);
    const moduleRef = await Test.createTestingModule({ imports: [InfraModule.forRoot({ dataSource, eventLog, endpoints }), JobCommandModule] }).compile();
    app = moduleRef.createNestApplication({ bodyParser: false, logger: ['error'] });
    configureHttpApp(app);
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    await eventLog?.close().catch(() => undefined);
    if (dataSource?.isInitialized) await dataSource.destroy();
    peers?.closeAllConnections();
    await new Promise((resolve) => peers?.close(resolve));
    const admin = new Client({ connectionString: testPostgresUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  it('refuses a job writing the same setting on shared devices with 409 naming the other job and the shared count, writing nothing', async () => {
    expect((await call('PUT', '/api/jobs/first', fan(5))).status).toBe(201);
    projected('first', fan(5));
    const refused = await call('PUT', '/api/jobs/second', fan(6, ids(7, 20)));
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/"first"/);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'onConflict' })]);
    expect(refused.body.conflicts).toEqual([
      { jobId: 'first', displayName: 'Job first', status: 'running', sharedDevices: 3, sameWrites: [{ type: 'setting', name: 'fanSpeed' }] },
    ]);
    expect(await eventTypes('second')).toEqual([]);
  });

  it('creates a job writing other things, or on other devices, or allowed, beside it', async () => {
    expect((await call('PUT', '/api/jobs/other-name', { ...fan(1), operations: [{ type: 'setting', name: 'temperature', value: 1 }] })).status).toBe(201);
    expect((await call('PUT', '/api/jobs/other-devices', fan(1, ids(50, 60)))).status).toBe(201);
    const allowed = await call('PUT', '/api/jobs/allowed', { ...fan(7), onConflict: 'allow' });
    expect(allowed.status).toBe(201);
    expect(allowed.body).toMatchObject({ status: 'pending', waitingFor: [] });
  });

  it('never asks about overlaps for a job that only runs commands', async () => {
    const before = overlapQuestions;
    expect((await call('PUT', '/api/jobs/reboot', { ...fan(1), operations: [{ type: 'command', name: 'reboot', value: {} }] })).status).toBe(201);
    expect(overlapQuestions).toBe(before);
  });

  it('queues a job behind the conflicting job, and behind a job queued there first, and starts each once what it waits for ended', async () => {
    for (const jobId of ['other-name', 'other-devices', 'allowed', 'reboot']) expect((await call('POST', `/api/jobs/${jobId}/stop`)).status).toBe(200);
    const queued = await call('PUT', '/api/jobs/queued', { ...fan(8), onConflict: 'queue' });
    expect(queued.status).toBe(201);
    expect(queued.body).toMatchObject({ status: 'pending', waitingFor: ['first'] });
    const next = await call('PUT', '/api/jobs/queued-next', { ...fan(9, ids(5, 6)), onConflict: 'queue' });
    expect(next.body).toMatchObject({ status: 'pending', waitingFor: ['first', 'queued'] });
    expect(await eventTypes('queued')).toEqual(['JobCreated']);

    expect((await call('POST', '/api/jobs/first/stop')).status).toBe(200);
    await waitFor('the queued job released', async () => (await eventTypes('queued')).includes('JobReleased'));
    expect((await call('GET', '/internal/jobs/queued')).body.waitingFor).toEqual([]);
    expect(await eventTypes('queued-next')).toEqual(['JobCreated']);

    expect((await call('POST', '/api/jobs/queued/stop')).status).toBe(200);
    await waitFor('the next queued job released', async () => (await eventTypes('queued-next')).includes('JobReleased'));
    const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM ${JOB_COMMAND_SCHEMA}.job_waits`);
    expect(n).toBe(0);
  });

  it('does not count a job that has ended here, though the read model still shows it active', async () => {
    expect((await call('PUT', '/api/jobs/ended', fan(1, ids(100, 110)))).status).toBe(201);
    expect((await call('POST', '/api/jobs/ended/stop')).status).toBe(200);
    projected('ended', fan(1, ids(100, 110)));
    expect((await call('PUT', '/api/jobs/after-ended', fan(2, ids(100, 110)))).status).toBe(201);
    projected('after-ended', fan(2, ids(100, 110)));
    const queued = await call('PUT', '/api/jobs/behind-ended', { ...fan(3, ids(100, 110)), onConflict: 'queue' });
    expect(queued.body).toMatchObject({ status: 'pending', waitingFor: ['after-ended'] });
  });

  it('never releases a queued job that was stopped', async () => {
    expect((await call('PUT', '/api/jobs/holder', fan(1, ids(200, 210)))).status).toBe(201);
    projected('holder', fan(1, ids(200, 210)));
    expect((await call('PUT', '/api/jobs/stopped-in-queue', { ...fan(2, ids(200, 210)), onConflict: 'queue' })).status).toBe(201);
    expect((await call('POST', '/api/jobs/stopped-in-queue/stop')).status).toBe(200);
    expect((await call('POST', '/api/jobs/holder/stop')).status).toBe(200);
    await waitFor('its waits removed', async () => (await dataSource.query(`SELECT 1 FROM ${JOB_COMMAND_SCHEMA}.job_waits WHERE job_id = 'stopped-in-queue'`)).length === 0);
    expect(await eventTypes('stopped-in-queue')).not.toContain('JobReleased');
  });

  it('refuses an unknown onConflict with 400 naming it', async () => {
    const refused = await call('PUT', '/api/jobs/bad-choice', { ...fan(1), onConflict: 'sometimes' });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'onConflict' })]);
  });
});
