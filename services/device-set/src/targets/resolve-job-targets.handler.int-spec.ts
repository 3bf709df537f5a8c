// A device accepted by the API can be a job's target at once: the resolver registers each chunk's
// devices in the hub (the real adapter against the hub simulator) before it publishes the chunk.
// The background hub sync does not run here unless a test calls it.
import { register } from 'prom-client';
import { CE_HEADERS, DeviceRegistered, JobCreated, TOPICS, toWireMessage } from '@fleetjobs/contracts';
import { AzureIotHubDeviceGateway, DeviceGateway, HubDevice } from '@fleetjobs/device-gateway';
import { startThrowawayHubSimulator, ThrowawayHubSimulator } from '@fleetjobs/hub-simulator';
import { HubSyncConsumer } from '../hub-sync/hub-sync.consumer';
import { hubSyncRepository } from '../hub-sync/hub-sync.repository';
import { DeviceSetTestApp, startDeviceSetTestApp, waitFor } from '../testing/device-set-test-app';
import { ResolveJobTargetsHandler, TARGETS_CHUNK_SIZE } from './resolve-job-targets.handler';

const AUDIT = 'public.hub_order_audit';

/**
 * The real adapter, recording each registry write it completed in an audit table that a trigger
 * on the outbox also writes to, so one sequence orders hub writes and chunk publications. It can
 * hold back the first write of a chosen device until released.
 */
class AuditingGateway implements DeviceGateway {
  readonly upserts: HubDevice[][] = [];
  hold: { deviceId: string; arrived: boolean; release: () => void; released: Promise<void> } | null = null;
  audit: ((ids: string[]) => Promise<void>) | null = null;

  constructor(private readonly inner: AzureIotHubDeviceGateway) {}

  applyProperty: DeviceGateway['applyProperty'] = (...args) => this.inner.applyProperty(...args);
  applySetting: DeviceGateway['applySetting'] = (...args) => this.inner.applySetting(...args);
  invokeCommand: DeviceGateway['invokeCommand'] = (...args) => this.inner.invokeCommand(...args);
  listDevices: DeviceGateway['listDevices'] = (pageSize) => this.inner.listDevices(pageSize);
  deleteDevices: DeviceGateway['deleteDevices'] = (ids) => this.inner.deleteDevices(ids);
  close = () => this.inner.close();

  upsertDevices: DeviceGateway['upsertDevices'] = async (devices) => {
    this.upserts.push(devices.map((device) => ({ ...device })));
    const hold = this.hold;
    if (hold && devices.some((device) => device.deviceId === hold.deviceId)) {
      this.hold = null;
      hold.arrived = true;
      await hold.released;
    }
    await this.inner.upsertDevices(devices);
    await this.audit?.(devices.map((device) => device.deviceId));
  };

  holdFirstWriteOf(deviceId: string): { arrived: () => boolean; release: () => void } {
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const hold = { deviceId, arrived: false, release, released };
    this.hold = hold;
    return { arrived: () => hold.arrived, release };
  }
}

const jobCreated = (jobId: string, deviceSet: string, devices: string[] | null = null): JobCreated => ({
  id: `${jobId}:created`,
  type: 'JobCreated',
  version: 1,
  source: '/fleetjobs/job-command',
  subject: jobId,
  time: new Date().toISOString(),
  correlationId: `corr-${jobId}`,
  data: {
    jobId,
    displayName: jobId,
    description: '',
    deviceSet,
    devices,
    operations: [{ type: 'property', name: 'location', value: 'lobby' }],
    template: 'vending-machine',
    createdAt: new Date().toISOString(),
  },
});

describe('job targets are in the hub before they are published', () => {
  let hub: ThrowawayHubSimulator;
  let gateway: AuditingGateway;
  let t: DeviceSetTestApp;

  const resolver = () => t.app.get(ResolveJobTargetsHandler);
  const hubSync = () => t.app.get(HubSyncConsumer);
  const twinTags = async (deviceId: string): Promise<Record<string, unknown> | null> => {
    const answer = await hub.admin.request('GET', `/twins/${deviceId}`);
    return answer.status === 404 ? null : (answer.body as { tags: Record<string, unknown> }).tags;
  };
  const inHub = async (ids: string[]): Promise<Set<string>> => {
    const answer = await hub.admin.request(
      'POST',
      '/devices/query',
      { query: `SELECT * FROM devices WHERE deviceId IN [${ids.map((id) => `'${id}'`).join(', ')}]` },
      { 'x-ms-max-item-count': '10000' },
    );
    expect(answer.status).toBe(200);
    return new Set((answer.body as { deviceId: string }[]).map((twin) => twin.deviceId));
  };
  const putDevice = async (id: string, tags: Record<string, unknown>) => {
    expect((await t.http('PUT', `/api/devices/${id}`, { displayName: id, template: 'vending-machine', tags })).status).toBeLessThan(300);
  };
  const lastRegistered = (deviceId: string): DeviceRegistered[] => t.events.ofType('DeviceRegistered', deviceId);
  const leaseWaits = async (): Promise<number> => {
    const metric = register.getSingleMetric('fleetjobs_hub_sync_lease_waits_total');
    return metric ? (await metric.get()).values.reduce((sum, value) => sum + value.value, 0) : 0;
  };

  beforeAll(async () => {
    hub = await startThrowawayHubSimulator();
    gateway = new AuditingGateway(
      new AzureIotHubDeviceGateway({ connectionString: hub.simulator.connectionString, caCertPem: hub.simulator.caCertPem }),
    );
    t = await startDeviceSetTestApp({ deviceGateway: gateway });
    await t.dataSource.query(`CREATE TABLE ${AUDIT} (seq bigserial PRIMARY KEY, kind text NOT NULL, chunk int, ids text[] NOT NULL)`);
    await t.dataSource.query(`
      CREATE FUNCTION public.audit_target_chunks() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.headers->>'${CE_HEADERS.type}' = 'JobTargetsResolved' THEN
          INSERT INTO ${AUDIT} (kind, chunk, ids)
          SELECT 'published', (NEW.value::jsonb->>'chunk')::int,
                 ARRAY(SELECT d->>'deviceId' FROM jsonb_array_elements(NEW.value::jsonb->'devices') d);
        END IF;
        RETURN NEW;
      END $$`);
    await t.dataSource.query(
      `CREATE TRIGGER audit_target_chunks AFTER INSERT ON device_set.outbox FOR EACH ROW EXECUTE FUNCTION public.audit_target_chunks()`,
    );
    gateway.audit = async (ids) => {
      await t.dataSource.query(`INSERT INTO ${AUDIT} (kind, ids) VALUES ('written', $1)`, [ids]);
    };
    await t.http('PUT', '/api/device-templates/vending-machine', {
      displayName: 'VM',
      capabilities: [{ name: 'location', kind: 'property', schema: 'string' }],
    });
    const conditions = (city: string) => [
      { field: 'template', operator: 'eq', value: 'vending-machine' },
      { field: 'tags.city', operator: 'eq', value: city },
    ];
    expect((await t.http('PUT', '/api/device-sets/fresh', { displayName: 'Fresh', conditions: conditions('Fresh') })).status).toBe(201);
    expect((await t.http('PUT', '/api/device-sets/racers', { displayName: 'Racers', conditions: conditions('Race') })).status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await gateway?.close();
    await hub?.dispose();
  });

  it('writes every device of a chunk to the hub before the chunk reaches the outbox', async () => {
    const ids = Array.from({ length: 3_000 }, (_, i) => `fresh-${String(i).padStart(5, '0')}`);
    for (let start = 0; start < ids.length; start += 1_500) {
      const devices = ids.slice(start, start + 1_500).map((id) => ({ id, displayName: id, template: 'vending-machine', tags: { city: 'Fresh' } }));
      expect((await t.http('POST', '/api/devices/batch', { devices })).status).toBe(200);
    }
    expect((await inHub(ids.slice(0, 100))).size).toBe(0);

    expect(await resolver().resolve(jobCreated('fresh-job', 'fresh'))).toBe(true);
    // The planner was told of the devices before they were paged (no autovacuum runs here).
    const [devicesTable] = await t.dataSource.query(`SELECT reltuples FROM pg_class WHERE oid = 'device_set.devices'::regclass`);
    expect(Number(devicesTable.reltuples)).toBeGreaterThanOrEqual(ids.length);

    const audit = await t.dataSource.query(`SELECT seq::int, kind, chunk, ids FROM ${AUDIT} ORDER BY seq`);
    const writtenAt = new Map<string, number>();
    for (const row of audit) if (row.kind === 'written') for (const id of row.ids) if (!writtenAt.has(id)) writtenAt.set(id, row.seq);
    const chunks = audit.filter((row: { kind: string }) => row.kind === 'published');
    expect(chunks.map((row: { chunk: number }) => row.chunk)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(chunks.flatMap((row: { ids: string[] }) => row.ids)).toEqual(ids);
    for (const chunk of chunks) {
      expect(chunk.ids).toHaveLength(TARGETS_CHUNK_SIZE);
      const late = chunk.ids.filter((id: string) => !(writtenAt.get(id)! < chunk.seq));
      expect({ chunk: chunk.chunk, late }).toEqual({ chunk: chunk.chunk, late: [] });
    }
    for (let start = 0; start < ids.length; start += 1_000) {
      expect((await inHub(ids.slice(start, start + 1_000))).size).toBe(Math.min(1_000, ids.length - start));
    }
    expect(await twinTags('fresh-00042')).toEqual({ fleetjobs: { template: 'vending-machine', displayName: 'fresh-00042' }, city: 'Fresh' });

    await t.settled();
    expect(t.events.ofType('JobTargetingCompleted', 'fresh-job').map((event) => event.data)).toEqual([
      { jobId: 'fresh-job', total: 3_000, chunks: 6 },
    ]);
  }, 240_000);

  it('writes nothing again for devices already in the hub, and nothing for a job redelivered', async () => {
    const before = gateway.upserts.length;
    expect(await resolver().resolve(jobCreated('fresh-job-2', 'fresh'))).toBe(true);
    expect(await resolver().resolve(jobCreated('fresh-job-2', 'fresh'))).toBe(false);
    expect(gateway.upserts.length).toBe(before);
    await t.settled();
    expect(t.events.ofType('JobTargetsResolved', 'fresh-job-2')).toHaveLength(6);
  }, 120_000);

  it('keeps the newer state in the hub when the background sync applies an older event after the resolver', async () => {
    await putDevice('late-1', { city: 'Race', v: 1 });
    await putDevice('late-1', { city: 'Race', v: 2 });
    expect(await resolver().resolve(jobCreated('late-job', 'racers', ['late-1']))).toBe(true);
    expect((await twinTags('late-1'))?.['v']).toBe(2);

    await t.settled();
    const [older] = lastRegistered('late-1');
    expect(older.data.tags).toEqual({ city: 'Race', v: 1 });
    const writes = gateway.upserts.length;
    await hubSync().handle([{ ...toWireMessage(TOPICS.devices, older), partition: 0, offset: '0' }]);
    expect((await twinTags('late-1'))?.['v']).toBe(2);
    expect(gateway.upserts.length).toBe(writes);
  }, 60_000);

  it('never lets a slower writer put an older state over a newer one', async () => {
    await putDevice('race-1', { city: 'Race', v: 1 });
    await t.settled();
    const [v1] = lastRegistered('race-1');

    // The background sync starts writing v1 and is held up in the hub call...
    const held = gateway.holdFirstWriteOf('race-1');
    const background = hubSync().handle([{ ...toWireMessage(TOPICS.devices, v1), partition: 0, offset: '0' }]);
    await waitFor(() => held.arrived(), { what: 'the background write of race-1 to reach the hub' });
    // ...while the device changes and a job targets it.
    await putDevice('race-1', { city: 'Race', v: 2 });
    const waitsBefore = await leaseWaits();
    const resolving = resolver().resolve(jobCreated('race-job', 'racers', ['race-1']));
    const concurrentWrite = () => gateway.upserts.filter((call) => call.some((device) => device.deviceId === 'race-1')).length > 1;
    await waitFor(async () => concurrentWrite() || (await leaseWaits()) > waitsBefore, {
      what: 'the resolver to wait for the background write (or to write concurrently)',
    });
    held.release();
    await Promise.all([background, resolving]);

    const written = gateway.upserts.flatMap((call) => call.filter((device) => device.deviceId === 'race-1')).map((device) => device.tags['v']);
    expect(written).toEqual([1, 2]);
    expect((await twinTags('race-1'))?.['v']).toBe(2);
  }, 60_000);

  it('publishes a chunk at once when the hub refuses one of its devices, and does not try that device again until it changes', async () => {
    await putDevice('refused-1', { city: 'Race' });
    // Stored before its tag name was reserved: the gateway refuses to write it to the hub.
    await t.dataSource.query(
      `UPDATE device_set.devices SET tags = tags || '{"properties": 1}'::jsonb, version = nextval('device_set.device_versions') WHERE id = 'refused-1'`,
    );
    await putDevice('accepted-1', { city: 'Race' });
    expect(await resolver().resolve(jobCreated('refused-job', 'racers', ['refused-1', 'accepted-1']))).toBe(true);
    await t.settled();
    const targets = t.events.ofType('JobTargetsResolved', 'refused-job').flatMap((event) => event.data.devices.map((d) => d.deviceId));
    expect(targets).toEqual(['accepted-1', 'refused-1']);
    expect(await twinTags('accepted-1')).not.toBeNull();
    expect(await twinTags('refused-1')).toBeNull();
    const failures = await hubSyncRepository.failuresOf(t.dataSource, 'refused-1');
    expect(failures).toEqual([expect.objectContaining({ operation: 'upsert', cause: 'refused', source: 'targets', reason: expect.stringMatching(/reserved/) })]);

    // Not tried again until the device changes.
    const writes = gateway.upserts.length;
    expect(await resolver().resolve(jobCreated('refused-job-2', 'racers', ['refused-1']))).toBe(true);
    expect(gateway.upserts.length).toBe(writes);
  }, 30_000);
});
