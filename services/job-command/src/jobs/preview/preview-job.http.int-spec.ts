import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, IncomingMessage, Server } from 'node:http';
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

const aJob = (overrides: Record<string, unknown> = {}) => ({
  displayName: 'Raise fan speed',
  deviceSet: 'seattle-vms',
  operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
  ...overrides,
});
const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, n) => `vm-${String(from + n).padStart(5, '0')}`);

/** The set's 2,500 members, and the active jobs holding some of them (as the projection knows them). */
const MEMBERS = ids(0, 2500);
const ACTIVE_JOBS = [
  { jobId: 'fan-job', displayName: 'Fan job', status: 'running', operations: [{ type: 'setting', name: 'fanSpeed' }], devices: new Set(ids(500, 2100)) },
  { jobId: 'reboot-job', displayName: 'Reboot job', status: 'paused', operations: [{ type: 'command', name: 'reboot' }], devices: new Set(ids(2400, 2600)) },
];

async function bodyOf(request: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

/**
 * job-command's preview on real PostgreSQL, asking stand-ins for device-set (the definition check
 * and the set's member ids) and the projection (which active jobs hold a page of ids): the answer,
 * the pages it asks in, the same refusals as creation, and nothing written.
 */
describe('POST /api/jobs/preview', () => {
  const database = `fleetjobs_test_preview_${randomBytes(5).toString('hex')}`;
  let dataSource: DataSource;
  let eventLog: SqlEventLog;
  let app: INestApplication;
  let peers: Server;
  let base: string;
  let checkAnswer: { status: number; body: unknown };
  let projectionDown = false;
  const overlapPages: { size: number; excludeJobId: string | null }[] = [];
  const memberPages: number[] = [];

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const storedEvents = async () => (await dataSource.query(`SELECT count(*)::int AS n FROM ${JOB_COMMAND_SCHEMA}.events`))[0].n as number;
  const answer = (response: import('node:http').ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };

  beforeAll(async () => {
    checkAnswer = { status: 200, body: { template: 'vending-machine' } };
    peers = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://peers');
      void bodyOf(request).then((body) => {
        if (url.pathname === '/internal/job-definition-checks') return answer(response, checkAnswer.status, checkAnswer.body);
        if (url.pathname === '/internal/device-sets/seattle-vms/member-ids') {
          const limit = Number(url.searchParams.get('limit'));
          const after = Number(url.searchParams.get('cursor') ?? '0');
          memberPages.push(limit);
          const next = after + limit;
          return answer(response, 200, { value: MEMBERS.slice(after, next), nextCursor: next < MEMBERS.length ? String(next) : null });
        }
        if (url.pathname === '/internal/job-overlaps') {
          if (projectionDown) return answer(response, 503, { title: 'Unavailable' });
          overlapPages.push({ size: body.deviceIds.length, excludeJobId: body.excludeJobId ?? null });
          const value = ACTIVE_JOBS.filter((job) => job.jobId !== body.excludeJobId)
            .map(({ devices, ...job }) => ({ ...job, sharedDevices: body.deviceIds.filter((id: string) => devices.has(id)).length }))
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
    process.env.HUB_RATE_LIMIT_PER_SECOND = '50';
    try {
      const moduleRef = await Test.createTestingModule({ imports: [InfraModule.forRoot({ dataSource, eventLog, endpoints }), JobCommandModule] }).compile();
      app = moduleRef.createNestApplication({ bodyParser: false, logger: ['error'] });
      configureHttpApp(app);
      await app.listen(0, '127.0.0.1');
    } finally {
      delete process.env.HUB_RATE_LIMIT_PER_SECOND;
    }
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  beforeEach(() => {
    checkAnswer = { status: 200, body: { template: 'vending-machine' } };
    projectionDown = false;
    overlapPages.length = 0;
    memberPages.length = 0;
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

  it('counts a set-wide job’s targets and its exact overlaps, asking in pages of at most 1000 ids, writing nothing', async () => {
    const preview = await call('POST', '/api/jobs/preview', aJob({ rollout: { batches: { size: 1000 }, pauseBetweenSeconds: 30 } }));
    expect(preview.status).toBe(200);
    expect(preview.body.targets).toEqual({ total: 2500, byTemplate: [{ template: 'vending-machine', devices: 2500 }] });
    expect(preview.body.overlaps).toEqual([
      { jobId: 'fan-job', displayName: 'Fan job', status: 'running', sharedDevices: 1600, sameWrites: [{ type: 'setting', name: 'fanSpeed' }] },
      { jobId: 'reboot-job', displayName: 'Reboot job', status: 'paused', sharedDevices: 100, sameWrites: [] },
    ]);
    // 2,500 devices at the hub's 50 requests/s, a setting costing two: 100 s, and two pauses of 30 s.
    expect(preview.body.eta).toEqual({
      seconds: 160,
      sendingSeconds: 100,
      pauseSeconds: 60,
      batches: 3,
      requestsPerDevice: 2,
      peakDevicesPerMinute: 1500,
      limitedBy: 'hub',
    });
    expect(memberPages.every((limit) => limit <= 1000)).toBe(true);
    expect(overlapPages.map((page) => page.size)).toEqual([1000, 1000, 500]);
    expect(await storedEvents()).toBe(0);
  });

  it('counts a job’s own devices in pages of at most 1000', async () => {
    const devices = ids(1900, 3100);
    const preview = await call('POST', '/api/jobs/preview', aJob({ devices }));
    expect(preview.status).toBe(200);
    expect(preview.body.targets.total).toBe(1200);
    expect(preview.body.overlaps.map((overlap: { jobId: string; sharedDevices: number }) => [overlap.jobId, overlap.sharedDevices])).toEqual([
      ['fan-job', 200],
      ['reboot-job', 200],
    ]);
    expect(overlapPages.map((page) => page.size)).toEqual([1000, 200]);
    expect(memberPages).toEqual([]);
  });

  it('answers the definition check’s refusal exactly as creation does, writing nothing', async () => {
    checkAnswer = {
      status: 422,
      body: { title: 'Unprocessable', status: 422, detail: 'The job does not fit.', errors: [{ field: 'operations[0].name', message: 'is not a capability' }] },
    };
    const preview = await call('POST', '/api/jobs/preview', aJob());
    const create = await call('PUT', '/api/jobs/refused', aJob());
    expect(preview.status).toBe(422);
    expect({ ...preview.body, instance: undefined }).toEqual({ ...create.body, instance: undefined });
    expect(await storedEvents()).toBe(0);
  });

  it('refuses a bad body with the same 400 as creation, naming the fields', async () => {
    for (const body of [
      aJob({ operations: [] }),
      aJob({ colour: 'red' }),
      aJob({ devices: ['vm-00001'], rollout: { batches: { size: 2 } } }),
      aJob({ rollout: { rate: { perMinute: -1 } } }),
    ]) {
      const preview = await call('POST', '/api/jobs/preview', body);
      const create = await call('PUT', '/api/jobs/bad', body);
      expect(preview.status).toBe(400);
      expect(preview.body.errors).toEqual(create.body.errors);
    }
    expect((await call('POST', '/api/jobs/preview', aJob({ id: '..' }))).body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
    expect(await storedEvents()).toBe(0);
  });

  it('answers 409 for an id another definition uses, and leaves a job out of its own overlaps', async () => {
    expect((await call('PUT', '/api/jobs/fan-job', aJob())).status).toBe(201);
    const events = await storedEvents();
    const other = await call('POST', '/api/jobs/preview', aJob({ id: 'fan-job', displayName: 'Another' }));
    expect(other.status).toBe(409);
    expect(other.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
    const itself = await call('POST', '/api/jobs/preview', aJob({ id: 'fan-job' }));
    expect(itself.status).toBe(200);
    expect(itself.body.overlaps.map((overlap: { jobId: string }) => overlap.jobId)).toEqual(['reboot-job']);
    expect(overlapPages.every((page) => page.excludeJobId === 'fan-job')).toBe(true);
    expect(await storedEvents()).toBe(events);
  });

  it('answers 503 when the projection cannot tell the overlaps, rather than a guess', async () => {
    projectionDown = true;
    expect((await call('POST', '/api/jobs/preview', aJob())).status).toBe(503);
  });
});
