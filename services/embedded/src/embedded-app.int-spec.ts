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

/**
 * Every service module composed in one app, on a real PostgreSQL database, the SQL event log
 * and the hub simulator reached through the real azure-iothub SDK: the core flow end to end.
 */
describe('the services composed in one process', () => {
  const database = `fleetjobs_test_core_${randomBytes(5).toString('hex')}`;
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

  beforeAll(async () => {
    dataSource = await openPostgres({
      url: testPostgresUrl(database),
      migrations: [...deviceSetMigrations, ...jobCommandMigrations, ...dispatcherMigrations, ...projectionMigrations],
    });
    eventLog = new SqlEventLog({ dataSource });
    await eventLog.ensureTopics(ALL_TOPICS, DEFAULT_PARTITIONS);
    hub = await startThrowawayHubSimulator();
    gateway = new AzureIotHubDeviceGateway({ connectionString: hub.simulator.connectionString, caCertPem: hub.simulator.caCertPem });
    process.env.SETTING_ACK_TIMEOUT_MS = '3000';
    process.env.FLEETJOBS_ADMIN_TOKEN = adminToken;
    app = await createEmbeddedApp({ dataSource, eventLog, deviceGateway: gateway });
    await app.startAllMicroservices();
    await app.listen(port, '127.0.0.1');

    expect((await call('PUT', '/api/device-templates/vm', {
      displayName: 'Vending machine',
      capabilities: [
        { name: 'fanSpeed', kind: 'setting', schema: 'number' },
        { name: 'location', kind: 'property', schema: 'string' },
        { name: 'reboot', kind: 'command', schema: 'object' },
      ],
    })).status).toBe(201);
    const behaviours = [undefined, undefined, { failCommands: ['reboot'] }, { online: false }, { latencyMs: 300 }];
    const devices = behaviours.map((simulator, index) => ({
      id: `vm-${index}`,
      displayName: `Machine ${index}`,
      template: 'vm',
      tags: { city: 'Seattle', ...(simulator ? { simulator } : {}) },
    }));
    expect((await call('POST', '/api/devices/batch', { devices })).status).toBe(200);
    expect((await call('PUT', '/api/device-sets/seattle', {
      displayName: 'Seattle',
      conditions: [{ field: 'template', operator: 'eq', value: 'vm' }, { field: 'tags.city', operator: 'eq', value: 'Seattle' }],
    })).status).toBe(201);
    await waitUntil(async () => (await hub.admin.request('GET', '/twins/vm-4')).status === 200, { timeoutMs: 30_000, what: 'devices in the hub' });
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

  const waitForEnd = (jobId: string) =>
    waitUntil(async () => {
      const job = await call('GET', `/api/jobs/${jobId}`);
      return job.status === 200 && ['completed', 'failed', 'stopped'].includes(job.body.status) && job.body.counts.pending === 0 && job.body;
    }, { timeoutMs: 60_000, what: `job ${jobId} to end` });

  it('runs a command job to its end, with every device accounted for and the failures explained', async () => {
    expect((await call('PUT', '/api/jobs/reboot-all', {
      displayName: 'Reboot',
      deviceSet: 'seattle',
      operations: [{ type: 'command', name: 'reboot', value: { delay: 0 } }],
    })).status).toBe(201);
    const job = await waitForEnd('reboot-all');
    expect(job).toMatchObject({ status: 'failed', error: '2 of 5 devices failed', counts: { total: 5, completed: 3, failed: 2, pending: 0 } });
    const devices = (await call('GET', '/api/jobs/reboot-all/devices')).body.value;
    expect(devices.find((d: any) => d.deviceId === 'vm-2').error).toMatch(/reboot failed/);
    expect(devices.find((d: any) => d.deviceId === 'vm-3').error).toMatch(/offline/);
    const methods = await hub.admin.operations({ kind: 'method' });
    expect(methods.filter((op) => op.deviceId === 'vm-0')).toHaveLength(1);
  });

  it('runs a setting and a property on a chosen subset', async () => {
    expect((await call('PUT', '/api/jobs/subset', {
      displayName: 'Subset',
      deviceSet: 'seattle',
      devices: ['vm-0', 'vm-4'],
      operations: [{ type: 'setting', name: 'fanSpeed', value: 3 }, { type: 'property', name: 'location', value: 'Pier 57' }],
    })).status).toBe(201);
    const job = await waitForEnd('subset');
    expect(job).toMatchObject({ status: 'completed', counts: { total: 2, completed: 2, failed: 0 } });
  });

  it('stops a job: the answer comes once nothing more can start, and it stays stopped', async () => {
    const slow = Array.from({ length: 300 }, (_, index) => ({ id: `slow-${index}`, displayName: 'Slow', template: 'vm', tags: { city: 'Tacoma', simulator: { latencyMs: 1000 } } }));
    await call('POST', '/api/devices/batch', { devices: slow });
    await call('PUT', '/api/device-sets/tacoma', { displayName: 'Tacoma', conditions: [{ field: 'template', operator: 'eq', value: 'vm' }, { field: 'tags.city', operator: 'eq', value: 'Tacoma' }] });
    await waitUntil(async () => (await hub.admin.request('GET', '/twins/slow-299')).status === 200, { timeoutMs: 30_000, what: 'slow devices in the hub' });
    await call('PUT', '/api/jobs/slow', { displayName: 'Slow', deviceSet: 'tacoma', operations: [{ type: 'command', name: 'reboot', value: {} }] });
    await waitUntil(async () => (await call('GET', '/api/jobs/slow')).body?.counts?.completed > 0, { timeoutMs: 30_000, what: 'some progress' });
    const stopped = await call('POST', '/api/jobs/slow/stop');
    expect(stopped).toMatchObject({ status: 200, body: { status: 'stopped' } });
    const answeredAt = Date.now();
    const job = await waitUntil(async () => {
      const current = await call('GET', '/api/jobs/slow');
      return current.body.status === 'stopped' && current.body;
    }, { timeoutMs: 30_000, what: 'stopped' });
    expect(job.counts.pending).toBeGreaterThan(0);
    const methods = (await hub.admin.operations({ kind: 'method', limit: 10_000 })).filter((op) => op.deviceId.startsWith('slow-'));
    expect(methods.every((op) => new Date(op.receivedAt).getTime() <= answeredAt)).toBe(true);
    expect((await call('POST', '/api/jobs/slow/stop')).status).toBe(200);
  });

  it('backs off when the hub throttles (429) and still reaches every device once', async () => {
    const devices = Array.from({ length: 60 }, (_, index) => ({ id: `busy-${index}`, displayName: 'Busy', template: 'vm', tags: { city: 'Olympia' } }));
    await call('POST', '/api/devices/batch', { devices });
    await call('PUT', '/api/device-sets/olympia', { displayName: 'Olympia', conditions: [{ field: 'template', operator: 'eq', value: 'vm' }, { field: 'tags.city', operator: 'eq', value: 'Olympia' }] });
    await waitUntil(async () => (await hub.admin.request('GET', '/twins/busy-59')).status === 200, { timeoutMs: 30_000, what: 'busy devices in the hub' });
    hub.simulator.setMaxRequestsPerSecond(25);
    try {
      await call('PUT', '/api/jobs/throttled', { displayName: 'Throttled', deviceSet: 'olympia', operations: [{ type: 'command', name: 'reboot', value: {} }] });
      const job = await waitForEnd('throttled');
      expect(job).toMatchObject({ status: 'completed', counts: { total: 60, completed: 60, failed: 0 } });
    } finally {
      hub.simulator.setMaxRequestsPerSecond(null);
    }
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/fleetjobs_hub_throttled_total [1-9]/);
    const calls = (await hub.admin.operations({ kind: 'method', limit: 10_000 })).filter((op) => op.deviceId.startsWith('busy-'));
    expect(calls).toHaveLength(60);
  });

  it('keeps the internal endpoints off the public port, while the services still reach them on their own listener', async () => {
    for (const [method, path] of [['POST', '/internal/job-definition-checks'], ['GET', '/internal/jobs/job-1'], ['POST', '/internal/jobs/job-1/halt'], ['GET', '/internal']]) {
      const answer = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
      expect({ method, path, status: answer.status, type: answer.headers.get('content-type') }).toEqual({
        method,
        path,
        status: 404,
        type: expect.stringContaining('application/problem+json'),
      });
    }
    // Creating a job has the job service check its definition with the device service internally.
    const created = await call('PUT', '/api/jobs/internal-check', { displayName: 'Internal check', deviceSet: 'seattle', operations: [{ type: 'property', name: 'location', value: 'x' }] });
    expect(created.status).toBe(201);
    const unknownSet = await call('PUT', '/api/jobs/internal-check-2', { displayName: 'Unknown set', deviceSet: 'nowhere', operations: [{ type: 'property', name: 'location', value: 'x' }] });
    expect(unknownSet.status).toBeGreaterThanOrEqual(400);
    expect(unknownSet.status).toBeLessThan(500);
  });

  it('refuses API requests without credentials, or with a role too low, on the public port', async () => {
    const anonymous = await fetch(`${base}/api/jobs/cross-site/stop`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ status: 401, errors: [{ field: 'authorization' }] });
    const viewer = await call('POST', '/api/tokens', { name: 'wall screen', role: 'viewer' });
    expect(viewer.status).toBe(201);
    const asViewer = (method: string, path: string) => fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${viewer.body.token}` } });
    expect((await asViewer('GET', '/api/jobs')).status).toBe(200);
    expect((await asViewer('DELETE', '/api/device-sets/seattle')).status).toBe(403);
    expect((await call('GET', '/api/device-sets/seattle')).status).toBe(200);
  });

  it('refuses a stop sent by a page of another site, and the job runs on', async () => {
    const created = await call('PUT', '/api/jobs/cross-site', {
      displayName: 'Cross-site target',
      deviceSet: 'seattle',
      operations: [{ type: 'command', name: 'reboot', value: {} }],
    });
    expect(created.status).toBe(201);
    const forged = await fetch(`${base}/api/jobs/cross-site/stop`, { method: 'POST', headers: { origin: 'https://elsewhere.example', 'content-type': 'text/plain' }, body: '' });
    expect(forged.status).toBe(403);
    expect(forged.headers.get('content-security-policy')).toContain("default-src 'self'");
    const job = await waitUntil(async () => {
      const current = await call('GET', '/api/jobs/cross-site');
      return current.status === 200 && current.body.counts.pending === 0 && current.body;
    }, { timeoutMs: 60_000, what: 'the job to end' });
    expect(job.status).not.toBe('stopped');
    expect(job.stoppedAt ?? null).toBeNull();
  });

  it('reports readiness from its real dependencies and Prometheus metrics of operations, outcomes and lag', async () => {
    const ready = await call('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks.map((check: { name: string }) => check.name)).toEqual(expect.arrayContaining(['event-log', 'consumers']));
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/fleetjobs_device_operations_total\{type="command",outcome="succeeded"\} [1-9]/);
    expect(metrics).toMatch(/fleetjobs_device_operations_total\{type="command",outcome="failed"\} [1-9]/);
    expect(metrics).toMatch(/fleetjobs_consumer_lag_messages\{group="projection"\} \d+/);
    expect(metrics).toMatch(/fleetjobs_consumer_running\{group="dispatcher.intake"\} 1/);
  });
});

