import { randomBytes } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { testPostgresUrl } from '@fleetjobs/testing';
import { ALL_TOPICS, DEFAULT_PARTITIONS } from '@fleetjobs/contracts';
import { AzureIotHubDeviceGateway } from '@fleetjobs/device-gateway';
import { deviceSetMigrations } from '@fleetjobs/device-set';
import { dispatcherMigrations } from '@fleetjobs/dispatcher';
import { startThrowawayHubSimulator, ThrowawayHubSimulator } from '@fleetjobs/hub-simulator';
import { jobCommandMigrations } from '@fleetjobs/job-command';
import { SqlEventLog } from '@fleetjobs/messaging';
import { openPostgres } from '@fleetjobs/persistence-pg';
import { projectionMigrations } from '@fleetjobs/projection';
import { newAdminToken, waitUntil } from '@fleetjobs/runtime';
import { createEmbeddedApp } from './embedded-app';

const ADMIN_URL = testPostgresUrl();
const REBOOT = [{ type: 'command', name: 'reboot', value: {} }];

/**
 * A job's rollout carried out by the dispatcher, end to end on a real PostgreSQL database with
 * the hub simulator: batches behind a success gate, abort rules, a ramped rate and retries.
 */
describe('a job rolled out by its rollout', () => {
  const database = `fleetjobs_test_rollout_${randomBytes(5).toString('hex')}`;
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const base = `http://127.0.0.1:${port}`;
  let dataSource: DataSource;
  let eventLog: SqlEventLog;
  let hub: ThrowawayHubSimulator;
  let gateway: AzureIotHubDeviceGateway;
  let app: NestExpressApplication;

  const adminToken = newAdminToken();
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };

  /** Devices `${prefix}-00`… in a device set of their own; those in `offline` do not connect. */
  const fleet = async (prefix: string, count: number, offline: number[] = []) => {
    const id = (index: number) => `${prefix}-${String(index).padStart(2, '0')}`;
    const devices = Array.from({ length: count }, (_, index) => ({
      id: id(index),
      displayName: `Machine ${index}`,
      template: 'vm',
      tags: { city: prefix, ...(offline.includes(index) ? { simulator: { online: false } } : {}) },
    }));
    expect((await call('POST', '/api/devices/batch', { devices })).status).toBe(200);
    const conditions = [{ field: 'template', operator: 'eq', value: 'vm' }, { field: 'tags.city', operator: 'eq', value: prefix }];
    expect((await call('PUT', `/api/device-sets/${prefix}`, { displayName: prefix, conditions })).status).toBe(201);
    await waitUntil(async () => (await hub.admin.request('GET', `/twins/${id(count - 1)}`)).status === 200, { timeoutMs: 30_000, what: `${prefix} devices in the hub` });
    return id;
  };

  const methodCalls = async (prefix: string) =>
    (await hub.admin.operations({ kind: 'method', limit: 10_000 })).filter((op) => op.deviceId.startsWith(`${prefix}-`));

  const waitForEnd = (jobId: string, timeoutMs = 30_000) =>
    waitUntil(async () => {
      const job = await call('GET', `/api/jobs/${jobId}`);
      return job.status === 200 && ['completed', 'failed', 'stopped'].includes(job.body.status) && job.body;
    }, { timeoutMs, what: `job ${jobId} to end` });

  beforeAll(async () => {
    dataSource = await openPostgres({
      url: testPostgresUrl(database),
      migrations: [...deviceSetMigrations, ...jobCommandMigrations, ...dispatcherMigrations, ...projectionMigrations],
    });
    eventLog = new SqlEventLog({ dataSource });
    await eventLog.ensureTopics(ALL_TOPICS, DEFAULT_PARTITIONS);
    hub = await startThrowawayHubSimulator();
    gateway = new AzureIotHubDeviceGateway({ connectionString: hub.simulator.connectionString, caCertPem: hub.simulator.caCertPem });
    process.env.FLEETJOBS_ADMIN_TOKEN = adminToken;
    app = await createEmbeddedApp({ dataSource, eventLog, deviceGateway: gateway });
    await app.startAllMicroservices();
    await app.listen(port, '127.0.0.1');
    expect((await call('PUT', '/api/device-templates/vm', {
      displayName: 'Vending machine',
      capabilities: [{ name: 'reboot', kind: 'command', schema: 'object' }],
    })).status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await eventLog?.close();
    await gateway?.close();
    await hub?.dispose();
    await dataSource?.destroy();
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  it('stops at the batch that can no longer reach its success gate, and never reaches the batches after it', async () => {
    const id = await fleet('gate', 40, [12, 15]);
    expect((await call('PUT', '/api/jobs/gated', {
      displayName: 'Gated',
      deviceSet: 'gate',
      operations: REBOOT,
      rollout: { batches: { percent: 25 }, successGate: { percent: 90 } },
    })).status).toBe(201);
    const job = await waitForEnd('gated');
    expect(job).toMatchObject({
      status: 'failed',
      error: 'batch 2 can no longer reach its 90 % success gate: 2 of 10 devices failed, at most 80 % can complete',
    });
    // Halted where every dispatcher asks for its permits, with the same reason.
    const [control] = await dataSource.query(`SELECT halt_reason FROM job_command.job_control WHERE job_id = 'gated'`);
    expect(control.halt_reason).toBe(job.error);
    const reached = new Set((await methodCalls('gate')).map((op) => op.deviceId));
    for (let index = 0; index < 10; index++) expect(reached).toContain(id(index));
    expect([id(12), id(15)].every((device) => reached.has(device))).toBe(true);
    expect([...reached].filter((device) => Number(device.slice(5)) >= 20)).toEqual([]);
  });

  it('aborts when more devices fail than its abort rule allows, naming the rule', async () => {
    const id = await fleet('abort', 20, [1]);
    expect((await call('PUT', '/api/jobs/aborted', {
      displayName: 'Aborted',
      deviceSet: 'abort',
      operations: REBOOT,
      rollout: { batches: { size: 5 }, abort: [{ failed: { percent: 10 }, kinds: ['offline'] }] },
    })).status).toBe(201);
    const job = await waitForEnd('aborted');
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/^aborted: \d+(\.\d)? % failed \(offline\) > 10 % after [1-5] devices$/);
    const reached = new Set((await methodCalls('abort')).map((op) => op.deviceId));
    expect(reached).toContain(id(1));
    expect([...reached].filter((device) => Number(device.slice(6)) >= 5)).toEqual([]);
  });

  it('counts only the kinds of failure an abort rule names', async () => {
    await fleet('kinds', 4, [0]);
    expect((await call('PUT', '/api/jobs/kinds', {
      displayName: 'Kinds',
      deviceSet: 'kinds',
      operations: REBOOT,
      rollout: { abort: [{ failed: { count: 1 }, kinds: ['timeout', 'rejected'] }] },
    })).status).toBe(201);
    expect(await waitForEnd('kinds')).toMatchObject({ status: 'failed', error: '1 of 4 devices failed', counts: { completed: 3, failed: 1 } });
  });

  it('waits its pause between batches before the next batch starts', async () => {
    const id = await fleet('pause', 4);
    expect((await call('PUT', '/api/jobs/paused', {
      displayName: 'Paused',
      deviceSet: 'pause',
      operations: REBOOT,
      rollout: { batches: { size: 2 }, pauseBetweenSeconds: 3 },
    })).status).toBe(201);
    expect(await waitForEnd('paused')).toMatchObject({ status: 'completed', counts: { total: 4, completed: 4 } });
    const at = new Map((await methodCalls('pause')).map((op) => [op.deviceId, Date.parse(op.receivedAt)]));
    expect(Math.min(at.get(id(2))!, at.get(id(3))!) - Math.max(at.get(id(0))!, at.get(id(1))!)).toBeGreaterThanOrEqual(2_900);
  });

  it('gives each device the rollout\'s timeout instead of the dispatcher\'s own', async () => {
    const devices = [{ id: 'slowpoke-0', displayName: 'Slow', template: 'vm', tags: { city: 'slowpoke', simulator: { latencyMs: 7_000 } } }];
    expect((await call('POST', '/api/devices/batch', { devices })).status).toBe(200);
    const conditions = [{ field: 'template', operator: 'eq', value: 'vm' }, { field: 'tags.city', operator: 'eq', value: 'slowpoke' }];
    expect((await call('PUT', '/api/device-sets/slowpoke', { displayName: 'Slow', conditions })).status).toBe(201);
    await waitUntil(async () => (await hub.admin.request('GET', '/twins/slowpoke-0')).status === 200, { timeoutMs: 30_000, what: 'the slow device in the hub' });
    for (const [jobId, rollout] of [['patient', undefined], ['impatient', { timeoutSeconds: 5 }]] as const) {
      const body = { displayName: jobId, deviceSet: 'slowpoke', operations: REBOOT, ...(rollout ? { rollout } : {}) };
      expect((await call('PUT', `/api/jobs/${jobId}`, body)).status).toBe(201);
    }
    // Commands wait at least 5 s in the hub: the device answers after 7 s, within 30 s but not 5 s.
    expect(await waitForEnd('patient')).toMatchObject({ status: 'completed' });
    expect(await waitForEnd('impatient')).toMatchObject({ status: 'failed' });
    const outcomes = (await call('GET', '/api/jobs/impatient/devices')).body.value;
    expect(outcomes[0].error).toBe('command reboot timed out: the device did not answer within 5 s');
  });

  it('spaces the devices by its rate, faster once the ramp has seen enough successes', async () => {
    await fleet('rate', 10);
    expect((await call('PUT', '/api/jobs/rated', {
      displayName: 'Rated',
      deviceSet: 'rate',
      operations: REBOOT,
      rollout: { rate: { perMinute: 60, ramp: { startPerMinute: 30, factor: 2, afterSuccesses: 3 } } },
    })).status).toBe(201);
    expect(await waitForEnd('rated')).toMatchObject({ status: 'completed', counts: { total: 10, completed: 10 } });
    expect(await methodCalls('rate')).toHaveLength(10);
    // The rate is kept where a device is claimed, on the database's clock; how soon after that its
    // request arrives at the hub depends on how busy the machine is, so arrivals are not judged.
    const claims = await dataSource.query(
      `SELECT extract(epoch FROM claimed_at) * 1000 AS at FROM dispatcher.operations WHERE job_id = 'rated' ORDER BY claimed_at`,
    );
    const times = claims.map((row: { at: string }) => Number(row.at));
    expect(times).toHaveLength(10);
    const gaps = times.slice(1).map((time: number, index: number) => time - times[index]);
    // 30/min for the first three devices (one every 2 s), then 60/min (one a second).
    expect(gaps.slice(0, 2).filter((gap: number) => gap < 1_990)).toEqual([]);
    expect(gaps.slice(3).filter((gap: number) => gap < 990)).toEqual([]);
    const later = gaps.slice(4);
    expect(later.reduce((sum: number, gap: number) => sum + gap, 0) / later.length).toBeLessThan(1_700);
  }, 45_000);

  it('tries a device again after a failure of a kind it retries, until it succeeds or runs out of attempts', async () => {
    const id = await fleet('retry', 2, [0, 1]);
    expect((await call('PUT', '/api/jobs/retried', {
      displayName: 'Retried',
      deviceSet: 'retry',
      operations: REBOOT,
      rollout: { retries: { maxAttempts: 3, on: ['offline'], backoff: { initialMs: 2_000, factor: 1, jitter: false } } },
    })).status).toBe(201);
    await waitUntil(async () => (await methodCalls('retry')).filter((op) => op.deviceId === id(0)).length === 2, {
      timeoutMs: 20_000,
      intervalMs: 50,
      what: 'two attempts on the offline device',
    });
    expect((await hub.admin.request('PATCH', `/twins/${id(0)}`, { tags: { simulator: { online: true } } })).status).toBe(200);
    const job = await waitForEnd('retried');
    expect(job).toMatchObject({ status: 'failed', error: '1 of 2 devices failed', counts: { total: 2, completed: 1, failed: 1 } });
    const calls = await methodCalls('retry');
    expect(calls.filter((op) => op.deviceId === id(0))).toHaveLength(3);
    expect(calls.filter((op) => op.deviceId === id(1))).toHaveLength(3);
  }, 45_000);
});
