import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ALL_TOPICS, MAX_CONDITIONS_BYTES } from '@fleetjobs/contracts';
import { configureHttpApp } from '@fleetjobs/http-kit';
import { SqlEventLog } from '@fleetjobs/messaging';
import { openPostgres } from '@fleetjobs/persistence-pg';
import { InfraModule } from '@fleetjobs/runtime';
import { rawRequest, startThrowawayPostgresCluster, ThrowawayPostgresCluster } from '@fleetjobs/testing';
import { DataSource } from 'typeorm';
import { DeviceSetModule } from '../device-set.module';
import { deviceSetMigrations } from '../migrations/device-set-initial.migration';
import { DeviceSetTestApp, startDeviceSetTestApp } from '../testing/device-set-test-app';

const fieldsOf = (answer: { body: { errors?: { field: string }[] } }) => (answer.body.errors ?? []).map((error) => error.field).sort();
const TEMPLATE = { displayName: 'VM', capabilities: [{ name: 'reboot', kind: 'command', schema: 'object' }] };
const DEVICE = { displayName: 'VM 1', template: 'vm' };
const SET = { displayName: 'VMs', conditions: [{ field: 'template', operator: 'eq', value: 'vm' }] };

describe('the device catalogue at the edge: ids and limits', () => {
  let t: DeviceSetTestApp;

  beforeAll(async () => {
    t = await startDeviceSetTestApp();
    expect((await t.http('PUT', '/api/device-templates/vm', TEMPLATE)).status).toBe(201);
    expect((await t.http('PUT', '/api/devices/vm-1', DEVICE)).status).toBe(201);
    expect((await t.http('PUT', '/api/device-sets/vms', SET)).status).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe.each(['.', '..'])('the id %p', (id) => {
    const segments = [id, id.replace(/\./g, '%2E')];

    it.each([
      ['device-templates', TEMPLATE],
      ['devices', DEVICE],
      ['device-sets', SET],
    ])('is refused in the path of %s, naming id', async (resource, body) => {
      for (const segment of segments) {
        for (const [method, payload] of [['PUT', body], ['GET', undefined], ['DELETE', undefined]] as const) {
          const answer = await rawRequest(t.baseUrl, method, `/api/${resource}/${segment}`, payload);
          expect({ method, segment, status: answer.status }).toEqual({ method, segment, status: 400 });
          expect(fieldsOf(answer)).toEqual(['id']);
        }
      }
      expect((await rawRequest(t.baseUrl, 'GET', `/api/device-sets/${segments[1]}/devices`)).status).toBe(400);
    });

    it('is refused as a template reference of a device, naming template', async () => {
      const answer = await t.http('PUT', '/api/devices/vm-2', { ...DEVICE, template: id });
      expect(answer.status).toBe(400);
      expect(fieldsOf(answer)).toEqual(['template']);
      expect((await t.http('GET', '/api/devices/vm-2')).status).toBe(404);
    });

    it('is refused in a batch, naming each offending device, and nothing is written', async () => {
      const answer = await t.http('POST', '/api/devices/batch', {
        devices: [
          { id: 'vm-3', ...DEVICE },
          { id, ...DEVICE },
          { id: 'vm-4', ...DEVICE, template: id },
        ],
      });
      expect(answer.status).toBe(400);
      expect(fieldsOf(answer)).toEqual(['devices[1].id', 'devices[2].template']);
      expect((await t.http('GET', '/api/devices/vm-3')).status).toBe(404);
    });

    it('is refused in a job definition check, naming deviceSet and devices', async () => {
      const answer = await t.http('POST', '/internal/job-definition-checks', {
        deviceSet: id,
        devices: ['vm-1', id],
        operations: [{ type: 'command', name: 'reboot', value: {} }],
      });
      expect(answer.status).toBe(400);
      expect(fieldsOf(answer)).toEqual(['deviceSet', 'devices']);
    });
  });

  it('refuses set conditions over their byte bound, naming conditions', async () => {
    const values = Array.from({ length: 100 }, (_, i) => `${i}`.padEnd(1000, 'c'));
    const answer = await t.http('PUT', '/api/device-sets/wide', {
      displayName: 'Wide',
      conditions: [{ field: 'template', operator: 'eq', value: 'vm' }, { field: 'tags.city', operator: 'in', value: values }],
    });
    expect(answer.status).toBe(400);
    expect(fieldsOf(answer)).toEqual(['conditions']);
    expect(answer.body.errors[0].message).toContain(`at most ${MAX_CONDITIONS_BYTES} bytes`);
    expect((await t.http('GET', '/api/device-sets/wide')).status).toBe(404);
  });

  it('refuses a 2 MB operation value in a job definition check, naming it', async () => {
    const answer = await t.http('POST', '/internal/job-definition-checks', {
      deviceSet: 'vms',
      devices: null,
      operations: [{ type: 'command', name: 'reboot', value: { blob: 'x'.repeat(2 * 1024 * 1024) } }],
    });
    expect(answer.status).toBe(400);
    expect(fieldsOf(answer)).toContain('operations[0].value');
  });
});

describe('the device catalogue while its PostgreSQL is stopped', () => {
  let cluster: ThrowawayPostgresCluster;
  let dataSource: DataSource;
  let eventLog: SqlEventLog;
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    cluster = await startThrowawayPostgresCluster();
    dataSource = await openPostgres({ url: cluster.url('fleetjobs_device_set'), migrations: deviceSetMigrations });
    eventLog = new SqlEventLog({ dataSource, pollIntervalMs: 20, maxBackoffMs: 500 });
    await eventLog.init();
    await eventLog.ensureTopics(ALL_TOPICS, 2);
    const moduleRef = await Test.createTestingModule({
      imports: [
        InfraModule.forRoot({ dataSource, eventLog, endpoints: { deviceSet: '', dispatcher: '', jobCommand: '', projection: '' } }),
        DeviceSetModule,
      ],
    }).compile();
    app = moduleRef.createNestApplication({ bodyParser: false, logger: ['error'] });
    configureHttpApp(app);
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    expect((await rawRequest(base, 'PUT', '/api/device-templates/vm', TEMPLATE)).status).toBe(201);
  });
  afterAll(async () => {
    await app?.close();
    await eventLog?.close().catch(() => undefined);
    if (dataSource?.isInitialized) await dataSource.destroy();
    await cluster?.destroy();
  });

  it('answers every kind of request 503 with Retry-After, and serves again once it is back', async () => {
    await cluster.stop();
    try {
      for (const [method, path, body] of [
        ['PUT', '/api/device-templates/vm2', TEMPLATE],
        ['GET', '/api/device-templates/vm', undefined],
        ['PUT', '/api/devices/vm-1', DEVICE],
        ['POST', '/api/devices/batch', { devices: [{ id: 'vm-2', ...DEVICE }] }],
        ['GET', '/api/devices', undefined],
        ['PUT', '/api/device-sets/vms', SET],
        ['GET', '/api/device-sets/vms/devices', undefined],
        ['POST', '/internal/job-definition-checks', { deviceSet: 'vms', devices: null, operations: [] }],
      ] as const) {
        const answer = await rawRequest(base, method, path, body);
        expect({ method, path, status: answer.status }).toEqual({ method, path, status: 503 });
        expect(answer.headers['retry-after']).toMatch(/^\d+$/);
        expect(answer.headers['content-type']).toContain('application/problem+json');
        expect(answer.body).toMatchObject({ type: 'about:blank', title: 'Service Unavailable', status: 503, instance: path });
        expect(answer.body.detail).not.toMatch(/postgres:|127\.0\.0\.1/);
      }
    } finally {
      await cluster.start();
    }
    expect((await rawRequest(base, 'PUT', '/api/devices/vm-1', DEVICE)).status).toBe(201);
  });
});
