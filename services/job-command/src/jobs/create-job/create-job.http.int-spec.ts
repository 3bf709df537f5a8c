import { once } from 'node:events';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ALL_TOPICS, MAX_OPERATION_VALUE_BYTES } from '@fleetjobs/contracts';
import { configureHttpApp } from '@fleetjobs/http-kit';
import { SqlEventLog } from '@fleetjobs/messaging';
import { openPostgres } from '@fleetjobs/persistence-pg';
import { InfraModule, ServiceEndpoints } from '@fleetjobs/runtime';
import { rawRequest, startThrowawayPostgresCluster, ThrowawayPostgresCluster } from '@fleetjobs/testing';
import { DataSource } from 'typeorm';
import { JobCommandModule } from '../../job-command.module';
import { NO_OVERLAPS } from '../../testing/job-command-kafka.harness';
import { JOB_PREVIEW_SOURCES } from '../preview/job-preview-sources.port';
import { jobCommandMigrations } from '../../job-command.migrations';
import { JOB_COMMAND_SCHEMA } from '../../job-command.schema';

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

const fieldsOf = (answer: { body: any }) => (answer.body.errors ?? []).map((error: { field: string }) => error.field);
const aJob = (overrides: Record<string, unknown> = {}) => ({
  displayName: 'Raise fan speed',
  deviceSet: 'seattle-vms',
  operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
  ...overrides,
});

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * job-command on a PostgreSQL cluster of its own (so that the test can stop it), asking a stand-in
 * device-set whose answers the test chooses: the edge of job creation, its limits and its outages.
 */
describe('creating a job: limits, ids and outages at the edge', () => {
  let cluster: ThrowawayPostgresCluster;
  let dataSource: DataSource;
  let eventLog: SqlEventLog;
  let app: INestApplication;
  let base: string;
  let deviceSet: Server;
  let deviceSetAnswer: { status: number; body: string };
  let deviceSetCalls = 0;
  const endpoints: ServiceEndpoints = { deviceSet: '', dispatcher: '', jobCommand: '', projection: '' };

  const call = async (method: string, path: string, body?: unknown, rawBody?: string): Promise<Answer> => {
    const payload = rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
    const response = await fetch(`${base}${path}`, {
      method,
      headers: payload === undefined ? undefined : { 'content-type': 'application/json' },
      body: payload,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
  const storedEvents = async () =>
    (await dataSource.query(`SELECT count(*)::int AS n FROM ${JOB_COMMAND_SCHEMA}.events`))[0].n as number;

  beforeAll(async () => {
    cluster = await startThrowawayPostgresCluster();
    deviceSetAnswer = { status: 200, body: JSON.stringify({ template: 'vending-machine' }) };
    deviceSet = createServer((request, response) => {
      deviceSetCalls++;
      request.resume().once('end', () => {
        response.writeHead(deviceSetAnswer.status, { 'content-type': 'application/json' });
        response.end(deviceSetAnswer.body);
      });
    });
    endpoints.deviceSet = await listen(deviceSet);

    dataSource = await openPostgres({ url: cluster.url('fleetjobs_job_command'), migrations: jobCommandMigrations });
    eventLog = new SqlEventLog({ dataSource, pollIntervalMs: 20, maxBackoffMs: 500 });
    await eventLog.init();
    await eventLog.ensureTopics(ALL_TOPICS, 2);
    const moduleRef = await Test.createTestingModule({
      imports: [InfraModule.forRoot({ dataSource, eventLog, endpoints }), JobCommandModule],
    })
      // No other job holds any device: nothing here conflicts.
      .overrideProvider(JOB_PREVIEW_SOURCES)
      .useValue(NO_OVERLAPS)
      .compile();
    app = moduleRef.createNestApplication({ bodyParser: false, logger: ['error'] });
    configureHttpApp(app);
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await app?.close();
    await eventLog?.close().catch(() => undefined);
    if (dataSource?.isInitialized) await dataSource.destroy();
    await cluster?.destroy();
    deviceSet?.closeAllConnections();
    await new Promise((resolve) => deviceSet?.close(resolve));
  });

  describe('limits', () => {
    it('refuses a 2 MB operation value with 400 naming operations[0].value, writing nothing', async () => {
      const value = { blob: 'x'.repeat(2 * 1024 * 1024) };
      const answer = await call('PUT', '/api/jobs/huge-value', aJob({ operations: [{ type: 'command', name: 'reboot', value }] }));
      expect(answer.status).toBe(400);
      expect(fieldsOf(answer)).toContain('operations[0].value');
      expect(answer.body.errors.find((error: { field: string }) => error.field === 'operations[0].value').message).toContain(
        `at most ${MAX_OPERATION_VALUE_BYTES} bytes`,
      );
      expect(await storedEvents()).toBe(0);
    });

    it('refuses a value just over 32 KiB, and a value of 100,000 keys without copying it key by key', async () => {
      const justOver = 'x'.repeat(MAX_OPERATION_VALUE_BYTES);
      const over = await call('PUT', '/api/jobs/just-over', aJob({ operations: [{ type: 'property', name: 'location', value: justOver }] }));
      expect(over.status).toBe(400);
      expect(fieldsOf(over)).toEqual(['operations[0].value']);

      const manyKeys = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]));
      const payload = JSON.stringify(aJob({ operations: [{ type: 'command', name: 'reboot', value: manyKeys }] }));
      // The service runs in this process: its CPU time, unlike the time on the clock, does not grow
      // with what else the machine runs.
      const cpuBefore = process.cpuUsage();
      const wide = await call('PUT', '/api/jobs/many-keys', undefined, payload);
      const cpu = process.cpuUsage(cpuBefore);
      expect(wide.status).toBe(400);
      expect(fieldsOf(wide)).toContain('operations[0].value');
      // Copying such a value key by key takes 12 to 26 s of CPU (quadratic in its keys); measuring it, a few
      // hundred ms.
      expect((cpu.user + cpu.system) / 1000).toBeLessThan(5000);
    });

    it('refuses operations that together exceed their bound, naming operations', async () => {
      const value = 'x'.repeat(30 * 1024);
      const operations = Array.from({ length: 5 }, () => ({ type: 'property', name: 'location', value }));
      const answer = await call('PUT', '/api/jobs/many-big-values', aJob({ operations }));
      expect(answer.status).toBe(400);
      expect(fieldsOf(answer)).toEqual(['operations']);
    });

    it('refuses an explicit device list over its byte bound with 400 naming devices', async () => {
      const devices = Array.from({ length: 10_000 }, (_, i) => `${i}-`.padEnd(128, 'd'));
      const answer = await call('PUT', '/api/jobs/too-many-bytes', aJob({ devices }));
      expect(answer.status).toBe(400);
      expect(fieldsOf(answer)).toEqual(['devices']);
      expect(await storedEvents()).toBe(0);
    });

    it('refuses a body over the job body limit with 413 naming body', async () => {
      const answer = await call('POST', '/api/jobs', undefined, JSON.stringify(aJob({ description: 'x'.repeat(5 * 1024 * 1024) })));
      expect(answer.status).toBe(413);
      expect(fieldsOf(answer)).toEqual(['body']);
    });

    it('accepts a job at the bounds', async () => {
      const devices = Array.from({ length: 3000 }, (_, i) => `${i}-`.padEnd(128, 'd'));
      // A command's payload may take the whole 32 KiB (IoT Hub takes 128 KB); a property gets its share of the twin's tags.
      const value = { blob: 'x'.repeat(MAX_OPERATION_VALUE_BYTES - JSON.stringify({ blob: '' }).length) };
      const answer = await call('PUT', '/api/jobs/at-the-bounds', aJob({ devices, operations: [{ type: 'command', name: 'reboot', value }] }));
      expect(answer.status).toBe(201);
      expect(await storedEvents()).toBe(1);
    });
  });

  describe('ids', () => {
    it.each(['.', '..'])('refuses %p as a job id in the path, a device set and a device', async (id) => {
      const before = await storedEvents();
      for (const path of [`/api/jobs/${id}`, `/api/jobs/${id.replace(/\./g, '%2E')}`]) {
        const answer = await rawRequest(base, 'PUT', path, aJob());
        expect({ path, status: answer.status }).toEqual({ path, status: 400 });
        expect(fieldsOf(answer)).toEqual(['id']);
      }

      const body = await call('PUT', '/api/jobs/bad-ids', aJob({ deviceSet: id, devices: ['vm-1', id] }));
      expect(body.status).toBe(400);
      expect(fieldsOf(body).sort()).toEqual(['deviceSet', 'devices']);
      expect(await storedEvents()).toBe(before);
    });
  });

  describe('outages', () => {
    it('answers 503 with Retry-After when device-set answers 5xx', async () => {
      deviceSetAnswer = { status: 500, body: '<html>oops</html>' };
      try {
        const answer = await call('PUT', '/api/jobs/peer-broken', aJob());
        expect(answer.status).toBe(503);
        expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(answer.headers.get('content-type')).toContain('application/problem+json');
        expect(answer.body).toMatchObject({ status: 503, title: 'Service Unavailable' });
        expect(answer.body.detail).toContain('device-set');
      } finally {
        deviceSetAnswer = { status: 200, body: JSON.stringify({ template: 'vending-machine' }) };
      }
    });

    it('answers 503 with Retry-After when device-set is not listening', async () => {
      const closed = createServer();
      const closedUrl = await listen(closed);
      await new Promise((resolve) => closed.close(resolve));
      const reachable = endpoints.deviceSet;
      // The adapter reads the endpoints on each call, as a redeployed peer's new address would be read.
      endpoints.deviceSet = closedUrl;
      try {
        const calls = deviceSetCalls;
        const answer = await call('PUT', '/api/jobs/peer-down', aJob());
        expect(answer.status).toBe(503);
        expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(answer.body.detail).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
        expect(deviceSetCalls).toBe(calls);
      } finally {
        endpoints.deviceSet = reachable;
      }
      expect((await call('PUT', '/api/jobs/peer-down', aJob())).status).toBe(201);
    });

    it('answers 503 with Retry-After while its PostgreSQL is stopped, and serves again once it is back', async () => {
      await cluster.stop();
      try {
        for (const [method, path, body] of [
          ['PUT', '/api/jobs/db-down', aJob()],
          ['POST', '/api/jobs', aJob()],
          ['GET', '/internal/jobs/at-the-bounds', undefined],
          ['POST', '/api/jobs/at-the-bounds/stop', undefined],
        ] as const) {
          const answer = await call(method, path, body);
          expect({ method, path, status: answer.status }).toEqual({ method, path, status: 503 });
          expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
          expect(answer.headers.get('content-type')).toContain('application/problem+json');
          expect(answer.body.detail).not.toMatch(/postgres:|127\.0\.0\.1/);
        }
      } finally {
        await cluster.start();
      }
      expect((await call('PUT', '/api/jobs/db-down', aJob())).status).toBe(201);
    });
  });
});
