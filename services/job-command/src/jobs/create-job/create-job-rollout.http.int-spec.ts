import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ALL_TOPICS, parseEvent } from '@fleetjobs/contracts';
import { configureHttpApp } from '@fleetjobs/http-kit';
import { SqlEventLog } from '@fleetjobs/messaging';
import { openPostgres } from '@fleetjobs/persistence-pg';
import { InfraModule, ServiceEndpoints } from '@fleetjobs/runtime';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { testPostgresUrl } from '@fleetjobs/testing';
import { JobCommandModule } from '../../job-command.module';
import { NO_OVERLAPS } from '../../testing/job-command-kafka.harness';
import { JOB_PREVIEW_SOURCES } from '../preview/job-preview-sources.port';
import { jobCommandMigrations } from '../../job-command.migrations';
import { JOB_COMMAND_SCHEMA } from '../../job-command.schema';

const ADMIN_URL = testPostgresUrl();

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const fieldsOf = (body: any): string[] => (body?.errors ?? []).map((error: { field: string }) => error.field);
const aJob = (rollout: unknown, overrides: Record<string, unknown> = {}) => ({
  displayName: 'Raise fan speed',
  deviceSet: 'seattle-vms',
  operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
  rollout,
  ...overrides,
});
const aFullRollout = {
  batches: { percent: 25 },
  successGate: { percent: 90 },
  pauseBetweenSeconds: 10,
  rate: { perMinute: 600, ramp: { startPerMinute: 60, factor: 2, afterSuccesses: 50 } },
  abort: [
    { failed: { percent: 10 }, minExecuted: 100, scope: 'job', kinds: ['offline', 'timeout'] },
    { failed: { count: 50 }, scope: 'batch' },
  ],
  retries: { maxAttempts: 3, on: ['offline', 'throttled'], backoff: { initialMs: 1000, factor: 2, maxMs: 60000, jitter: true } },
  timeoutSeconds: 30,
};

/** job-command on a throwaway database, asking a stand-in device-set that accepts every definition. */
describe('creating a job with a rollout', () => {
  const database = `fleetjobs_test_rollout_${randomBytes(6).toString('hex')}`;
  let dataSource: DataSource;
  let eventLog: SqlEventLog;
  let app: INestApplication;
  let base: string;
  let deviceSet: Server;
  let checks: any[] = [];
  let checkAnswer: { status: number; body: unknown } = { status: 200, body: { template: 'vending-machine' } };

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

  beforeAll(async () => {
    deviceSet = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.once('end', () => {
        checks.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        response.writeHead(checkAnswer.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(checkAnswer.body));
      });
    });
    deviceSet.listen(0, '127.0.0.1');
    await once(deviceSet, 'listening');
    const endpoints: ServiceEndpoints = {
      deviceSet: `http://127.0.0.1:${(deviceSet.address() as AddressInfo).port}`,
      dispatcher: '',
      jobCommand: '',
      projection: '',
    };
    await admin(`CREATE DATABASE "${database}"`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${database}`;
    dataSource = await openPostgres({ url: url.toString(), migrations: jobCommandMigrations });
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
    await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    deviceSet?.closeAllConnections();
    await new Promise((resolve) => deviceSet?.close(resolve));
  });

  it('accepts a valid rollout, answers it in the job and records it in JobCreated', async () => {
    const created = await call('PUT', '/api/jobs/with-rollout', aJob(aFullRollout));
    expect(created.status).toBe(201);
    expect(created.body.rollout).toEqual(aFullRollout);

    expect((await call('GET', '/internal/jobs/with-rollout')).body.rollout).toEqual(aFullRollout);
    const [row] = await dataSource.query(
      `SELECT event_id, type, event_version, stream_id, version, data FROM ${JOB_COMMAND_SCHEMA}.events WHERE stream_id LIKE '%with-rollout' AND type = 'JobCreated'`,
    );
    expect(row.data.rollout).toEqual(aFullRollout);
    const parsed = parseEvent({
      eventId: row.event_id,
      type: row.type,
      version: row.event_version,
      streamId: row.stream_id,
      streamPosition: row.version,
      occurredAt: new Date().toISOString(),
      correlationId: null,
      causationId: null,
      data: row.data,
    } as any);
    expect((parsed as any).data.rollout).toEqual(aFullRollout);
  });

  it('accepts an adaptive rate and answers a job without a rollout without one', async () => {
    const adaptive = { rate: { mode: 'adaptive', minPerMinute: 60, maxPerMinute: 6000 }, batches: { size: 2 } };
    const answer = await call('PUT', '/api/jobs/adaptive', aJob(adaptive, { devices: ['vm-1', 'vm-2', 'vm-3'] }));
    expect(answer.status).toBe(201);
    expect(answer.body.rollout).toEqual(adaptive);

    const plain = await call('PUT', '/api/jobs/no-rollout', aJob(undefined));
    expect(plain.status).toBe(201);
    expect(plain.body).not.toHaveProperty('rollout');
  });

  it('answers the same job again for the same rollout, and 409 for another rollout under the same id', async () => {
    const rollout = { batches: { size: 10 }, timeoutSeconds: 20 };
    expect((await call('PUT', '/api/jobs/same-rollout', aJob(rollout))).status).toBe(201);
    expect((await call('PUT', '/api/jobs/same-rollout', aJob({ timeoutSeconds: 20, batches: { size: 10 } }))).status).toBe(200);
    const other = await call('PUT', '/api/jobs/same-rollout', aJob({ batches: { size: 11 }, timeoutSeconds: 20 }));
    expect(other.status).toBe(409);
    expect((await call('PUT', '/api/jobs/same-rollout', aJob(undefined))).status).toBe(409);
  });

  it.each([
    ['a batch percent of 0', { batches: { percent: 0 } }, 'rollout.batches.percent'],
    ['a batch percent over 100', { batches: { percent: 101 } }, 'rollout.batches.percent'],
    ['both a batch size and percent', { batches: { size: 10, percent: 10 } }, 'rollout.batches.percent'],
    ['batches with neither size nor percent', { batches: {} }, 'rollout.batches.size'],
    ['a batch size of 0', { batches: { size: 0 } }, 'rollout.batches.size'],
    ['a success gate of 0 %', { successGate: { percent: 0 } }, 'rollout.successGate.percent'],
    ['a negative pause', { pauseBetweenSeconds: -1 }, 'rollout.pauseBetweenSeconds'],
    ['a rate of 0 per minute', { rate: { perMinute: 0 } }, 'rollout.rate.perMinute'],
    ['a negative rate', { rate: { perMinute: -5 } }, 'rollout.rate.perMinute'],
    ['a ramp factor of 1', { rate: { perMinute: 600, ramp: { factor: 1 } } }, 'rollout.rate.ramp.factor'],
    ['a ramp start of 0', { rate: { perMinute: 600, ramp: { startPerMinute: 0 } } }, 'rollout.rate.ramp.startPerMinute'],
    ['an adaptive floor above its ceiling', { rate: { mode: 'adaptive', minPerMinute: 600, maxPerMinute: 60 } }, 'rollout.rate.minPerMinute'],
    ['an adaptive rate without a ceiling', { rate: { mode: 'adaptive', minPerMinute: 60 } }, 'rollout.rate.maxPerMinute'],
    ['a fixed rate given to an adaptive one', { rate: { mode: 'adaptive', minPerMinute: 1, maxPerMinute: 2, perMinute: 5 } }, 'rollout.rate.perMinute'],
    ['an unknown rate mode', { rate: { mode: 'turbo', perMinute: 5 } }, 'rollout.rate.mode'],
    ['an abort percent over 100', { abort: [{ failed: { percent: 150 } }] }, 'rollout.abort[0].failed.percent'],
    ['an abort rule without a threshold', { abort: [{ minExecuted: 10 }] }, 'rollout.abort[0].failed'],
    ['an unknown abort kind', { abort: [{ failed: { count: 5 }, kinds: ['gremlins'] }] }, 'rollout.abort[0].kinds'],
    ['an unknown abort scope', { abort: [{ failed: { count: 5 }, scope: 'fleet' }] }, 'rollout.abort[0].scope'],
    ['0 attempts', { retries: { maxAttempts: 0 } }, 'rollout.retries.maxAttempts'],
    ['11 attempts', { retries: { maxAttempts: 11 } }, 'rollout.retries.maxAttempts'],
    ['an unknown retry kind', { retries: { maxAttempts: 2, on: ['rejected', 'cosmic-ray'] } }, 'rollout.retries.on'],
    ['a non-boolean jitter', { retries: { maxAttempts: 2, backoff: { jitter: 'yes' } } }, 'rollout.retries.backoff.jitter'],
    ['a timeout of 0 s', { timeoutSeconds: 0 }, 'rollout.timeoutSeconds'],
    ['a timeout of 301 s', { timeoutSeconds: 301 }, 'rollout.timeoutSeconds'],
    ['an unknown rollout field', { speed: 'ludicrous' }, 'rollout.speed'],
    ['a rollout that is not an object', [1, 2], 'rollout'],
  ])('refuses %s with 400 naming the field, writing nothing', async (_case, rollout, field) => {
    const before = await storedEvents();
    const answer = await call('PUT', `/api/jobs/refused-${randomBytes(4).toString('hex')}`, aJob(rollout));
    expect(answer.status).toBe(400);
    expect(fieldsOf(answer.body)).toContain(field);
    expect(await storedEvents()).toBe(before);
  });

  it('refuses a batch size larger than the explicit devices of the job, naming rollout.batches.size', async () => {
    const before = await storedEvents();
    const answer = await call('PUT', '/api/jobs/batch-too-big', aJob({ batches: { size: 3 } }, { devices: ['vm-1', 'vm-2'] }));
    expect(answer.status).toBe(400);
    expect(fieldsOf(answer.body)).toEqual(['rollout.batches.size']);
    expect(await storedEvents()).toBe(before);
  });

  it('asks device-set whether the set can fill a batch size when the job names no devices, and relays its refusal', async () => {
    checks = [];
    await call('PUT', '/api/jobs/set-batch', aJob({ batches: { size: 500 } }));
    await call('PUT', '/api/jobs/set-percent', aJob({ batches: { percent: 10 } }));
    await call('PUT', '/api/jobs/listed-batch', aJob({ batches: { size: 1 } }, { devices: ['vm-1'] }));
    expect(checks.map((check) => check.batchSize)).toEqual([500, undefined, undefined]);

    const refusal = { type: 'about:blank', title: 'Unprocessable Entity', status: 422, detail: 'The job cannot be created.' };
    const errors = [{ field: 'rollout.batches.size', message: "must not be greater than the job's 20 devices" }];
    checkAnswer = { status: 422, body: { ...refusal, errors } };
    try {
      const before = await storedEvents();
      const answer = await call('PUT', '/api/jobs/set-too-small', aJob({ batches: { size: 21 } }));
      expect(answer.status).toBe(422);
      expect(fieldsOf(answer.body)).toEqual(['rollout.batches.size']);
      expect(await storedEvents()).toBe(before);
    } finally {
      checkAnswer = { status: 200, body: { template: 'vending-machine' } };
    }
  });
});
