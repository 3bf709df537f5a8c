// The hub side is the real azure-iothub adapter against the hub simulator, the project's stand-in for IoT Hub.
import { startThrowawayHubSimulator, ThrowawayHubSimulator } from '@fleetjobs/hub-simulator';
import { AzureIotHubDeviceGateway, DeviceGateway, HubDevice, HubThrottledError } from '@fleetjobs/device-gateway';
import { encodeActorHeader } from '@fleetjobs/http-kit';
import { register } from 'prom-client';
import { DeviceSetTestApp, startDeviceSetTestApp, waitFor } from '../testing/device-set-test-app';
import { classifyHubFailure, httpStatusOf } from './hub-failure.classifier';
import { HUB_SYNC_CONFIG, HubSyncConfig } from './hub-sync.config';
import { hubSyncRepository } from './hub-sync.repository';

/** What the adapter throws for an HTTP answer of the hub: an Error caused by the SDK's error, which carries the response. */
const hubAnswer = (statusCode: number, message: string): Error =>
  new Error(`bulk create failed (HTTP ${statusCode}): ${message}`, {
    cause: Object.assign(new Error(message), { response: { statusCode }, responseBody: JSON.stringify({ Message: message }) }),
  });

/**
 * The real adapter, counting the throttling it reports, so a test can tell that the hub did throttle.
 * It can stand in for a hub that refuses some devices (400) or fails on every call with them (no connection).
 */
class ThrottleCountingGateway implements DeviceGateway {
  throttled = 0;
  readonly refuse = new Map<string, string>();
  readonly unreachableFor = new Set<string>();
  readonly upsertCalls: string[][] = [];

  constructor(private readonly inner: AzureIotHubDeviceGateway) {}

  applyProperty: DeviceGateway['applyProperty'] = (...args) => this.inner.applyProperty(...args);
  applySetting: DeviceGateway['applySetting'] = (...args) => this.inner.applySetting(...args);
  invokeCommand: DeviceGateway['invokeCommand'] = (...args) => this.inner.invokeCommand(...args);
  listDevices: DeviceGateway['listDevices'] = (pageSize) => this.inner.listDevices(pageSize);
  upsertDevices: DeviceGateway['upsertDevices'] = async (devices) => {
    this.upsertCalls.push(devices.map((device) => device.deviceId));
    const refused = devices.find((device) => this.refuse.has(device.deviceId));
    if (refused) throw hubAnswer(400, `ErrorCode:ArgumentInvalid;${this.refuse.get(refused.deviceId)}`);
    if (devices.some((device) => this.unreachableFor.has(device.deviceId))) {
      throw new Error('registry query failed (no response): connect ECONNREFUSED', {
        cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
      });
    }
    return this.counted(this.inner.upsertDevices(devices));
  };
  deleteDevices: DeviceGateway['deleteDevices'] = (ids) => this.counted(this.inner.deleteDevices(ids));
  close = () => this.inner.close();

  private async counted(call: Promise<void>): Promise<void> {
    try {
      await call;
    } catch (error) {
      if (error instanceof HubThrottledError) this.throttled += 1;
      throw error;
    }
  }
}

describe('hub registry sync and hub import, against the hub simulator', () => {
  let hub: ThrowawayHubSimulator;
  let gateway: ThrottleCountingGateway;
  let t: DeviceSetTestApp;

  const twinTags = async (deviceId: string): Promise<Record<string, unknown> | null> => {
    const answer = await hub.admin.request('GET', `/twins/${deviceId}`);
    return answer.status === 404 ? null : (answer.body as { tags: Record<string, unknown> }).tags;
  };
  const hubDevices = async (): Promise<HubDevice[]> => {
    const all: HubDevice[] = [];
    for await (const page of gateway.listDevices(1000)) all.push(...page);
    return all;
  };
  const hubSyncIdle = async () => {
    await t.settled();
    const subscription = t.server!.activeSubscriptions.find((s) => s.groupId === 'device-set.hub-sync');
    await waitFor(async () => (await subscription!.lag()) === 0, { timeoutMs: 90_000, what: 'the hub sync to catch up' });
  };

  beforeAll(async () => {
    hub = await startThrowawayHubSimulator();
    gateway = new ThrottleCountingGateway(
      new AzureIotHubDeviceGateway({ connectionString: hub.simulator.connectionString, caCertPem: hub.simulator.caCertPem }),
    );
    t = await startDeviceSetTestApp({ consumers: true, deviceGateway: gateway });
    await t.http('PUT', '/api/device-templates/vending-machine', { displayName: 'VM', capabilities: [] });
  });
  afterAll(async () => {
    await t?.close();
    await gateway?.close();
    await hub?.dispose();
  });

  describe('import', () => {
    it('imports the hub registry page by page, skipping devices without a template tag, as the one who asked', async () => {
      const seeded = Array.from({ length: 1_150 }, (_, i) => ({
        deviceId: `imp-${String(i).padStart(4, '0')}`,
        tags: { fleetjobs: { template: 'vending-machine', displayName: `Imported ${i}` }, city: 'Oslo', floor: i },
      }));
      seeded.push({ deviceId: 'foreign-1', tags: { city: 'Oslo' } } as never, { deviceId: 'foreign-2' } as never);
      seeded.push({ deviceId: 'no-name', tags: { fleetjobs: { template: 'kiosk' } } } as never);
      await hub.admin.seedDevices(seeded);

      const builder = { id: 'token:t-import', name: 'import script', role: 'builder' as const };
      const answer = await t.http('POST', '/api/devices/import', undefined, undefined, { 'x-fleetjobs-actor': encodeActorHeader(builder) });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ imported: 1_151, skipped: 2 });
      expect((await t.http('GET', '/api/devices/imp-0042')).body).toEqual({
        id: 'imp-0042',
        displayName: 'Imported 42',
        template: 'vending-machine',
        tags: { city: 'Oslo', floor: 42 },
      });
      // A device without a display name in the hub is named by its id; its template need not exist yet.
      expect((await t.http('GET', '/api/devices/no-name')).body).toEqual({ id: 'no-name', displayName: 'no-name', template: 'kiosk', tags: {} });
      expect((await t.http('GET', '/api/devices/foreign-1')).status).toBe(404);

      await t.settled();
      const imported = t.events.ofType('DeviceRegistered').filter((event) => event.data.origin === 'hub-import');
      expect(imported).toHaveLength(1_151);
      expect(imported.filter((event) => event.actor?.id !== builder.id)).toEqual([]);
    });

    it('leaves imported devices alone in the hub', async () => {
      await hubSyncIdle();
      // Written back, the device would carry the display name it was given on import.
      expect(await twinTags('no-name')).toEqual({ fleetjobs: { template: 'kiosk' } });
      expect(await hub.admin.operations({ kind: 'registry', name: 'create' })).toHaveLength(0);
    });
  });

  describe('sync', () => {
    it('creates a device registered through the API in the hub, with its twin tags', async () => {
      await t.http('PUT', '/api/devices/vm-1', { displayName: 'Lobby', template: 'vending-machine', tags: { city: 'Seattle', floor: 2 } });
      await waitFor(async () => (await twinTags('vm-1')) !== null, { what: 'vm-1 in the hub' });
      expect(await twinTags('vm-1')).toEqual({ fleetjobs: { template: 'vending-machine', displayName: 'Lobby' }, city: 'Seattle', floor: 2 });
    });

    it('re-tags a changed device', async () => {
      await t.http('PUT', '/api/devices/vm-1', { displayName: 'Lobby', template: 'vending-machine', tags: { city: 'Tacoma' } });
      await waitFor(async () => (await twinTags('vm-1'))?.['city'] === 'Tacoma', { what: 'vm-1 re-tagged' });
      expect(await twinTags('vm-1')).toEqual({ fleetjobs: { template: 'vending-machine', displayName: 'Lobby' }, city: 'Tacoma' });
    });

    it('deletes a deleted device from the hub', async () => {
      expect((await t.http('DELETE', '/api/devices/vm-1')).status).toBe(204);
      await waitFor(async () => (await twinTags('vm-1')) === null, { what: 'vm-1 gone from the hub' });
    });

    it('creates a batch in calls of at most 100 devices', async () => {
      await hub.admin.clearOperations();
      const devices = Array.from({ length: 250 }, (_, i) => ({
        id: `batch-${String(i).padStart(3, '0')}`,
        displayName: `Batch ${i}`,
        template: 'vending-machine',
        tags: { n: i },
      }));
      expect((await t.http('POST', '/api/devices/batch', { devices })).status).toBe(200);
      await waitFor(async () => (await hubDevices()).filter((d) => d.deviceId.startsWith('batch-')).length === 250, {
        timeoutMs: 30_000,
        what: '250 batch devices in the hub',
      });
      const creates = await hub.admin.operations({ kind: 'registry', name: 'create', limit: 1000 });
      expect(creates).toHaveLength(250);
      const perCall = new Map<string, number>();
      for (const { requestId } of creates) {
        expect(requestId).toEqual(expect.any(String));
        perCall.set(String(requestId), (perCall.get(String(requestId)) ?? 0) + 1);
      }
      expect(perCall.size).toBeGreaterThanOrEqual(3);
      expect(Math.max(...perCall.values())).toBeLessThanOrEqual(100);
      expect((await hubDevices()).find((d) => d.deviceId === 'batch-249')).toEqual({
        deviceId: 'batch-249',
        displayName: 'Batch 249',
        template: 'vending-machine',
        tags: { n: 249 },
      });
    });

    it('ends with the last state of each device: created then deleted leaves nothing in the hub', async () => {
      await t.http('PUT', '/api/devices/blink', { displayName: 'Blink', template: 'vending-machine' });
      await t.http('DELETE', '/api/devices/blink');
      await t.http('PUT', '/api/devices/stay', { displayName: 'Stay', template: 'vending-machine', tags: { v: 1 } });
      await t.http('PUT', '/api/devices/stay', { displayName: 'Stay', template: 'vending-machine', tags: { v: 2 } });
      await hubSyncIdle();
      expect(await twinTags('blink')).toBeNull();
      expect(await twinTags('stay')).toEqual({ fleetjobs: { template: 'vending-machine', displayName: 'Stay' }, v: 2 });
    });

    it('waits out throttling and retries until the hub has every device', async () => {
      gateway.throttled = 0;
      hub.simulator.setMaxRequestsPerSecond(3);
      try {
        const devices = Array.from({ length: 40 }, (_, i) => ({
          id: `slow-${String(i).padStart(3, '0')}`,
          displayName: `Slow ${i}`,
          template: 'vending-machine',
        }));
        expect((await t.http('POST', '/api/devices/batch', { devices })).status).toBe(200);
        await hubSyncIdle();
      } finally {
        hub.simulator.setMaxRequestsPerSecond(null);
      }
      expect(gateway.throttled).toBeGreaterThan(0);
      expect((await hubDevices()).filter((d) => d.deviceId.startsWith('slow-'))).toHaveLength(40);
    }, 120_000);
  });

  describe('bounded retries', () => {
    const deadLetters = async (cause: string): Promise<number> => {
      const metric = register.getSingleMetric('fleetjobs_hub_sync_dead_letters_total');
      const values = metric ? (await metric.get()).values : [];
      return values.filter((value) => value.labels['source'] === 'background' && value.labels['cause'] === cause).reduce((sum, value) => sum + value.value, 0);
    };
    const batchOf = (prefix: string, first: string) => [
      { id: first, displayName: first, template: 'vending-machine' },
      // Spread over every partition, so that some come after the first device on its own partition.
      ...Array.from({ length: 40 }, (_, i) => ({ id: `${prefix}-${String(i).padStart(2, '0')}`, displayName: `${prefix} ${i}`, template: 'vending-machine' })),
    ];

    it('sets aside a device the hub refuses, with its reason, and still brings the others to the hub', async () => {
      gateway.refuse.set('poison-0', 'twin tags exceed the size limit');
      const before = await deadLetters('refused');
      expect((await t.http('POST', '/api/devices/batch', { devices: batchOf('after-poison', 'poison-0') })).status).toBe(200);
      await hubSyncIdle();

      expect((await hubDevices()).filter((d) => d.deviceId.startsWith('after-poison-'))).toHaveLength(40);
      expect(await twinTags('poison-0')).toBeNull();
      expect(await hubSyncRepository.failuresOf(t.dataSource, 'poison-0')).toEqual([
        expect.objectContaining({ operation: 'upsert', cause: 'refused', source: 'background', reason: expect.stringMatching(/twin tags exceed the size limit/) }),
      ]);
      expect(await deadLetters('refused')).toBe(before + 1);

      // Redelivered or repeated, the refused version is not sent again; a change is.
      const calls = gateway.upsertCalls.filter((ids) => ids.includes('poison-0')).length;
      await t.http('PUT', '/api/devices/after-poison-00', { displayName: 'changed', template: 'vending-machine' });
      await hubSyncIdle();
      expect(gateway.upsertCalls.filter((ids) => ids.includes('poison-0'))).toHaveLength(calls);
      gateway.refuse.delete('poison-0');
      await t.http('PUT', '/api/devices/poison-0', { displayName: 'fixed', template: 'vending-machine' });
      await waitFor(async () => (await twinTags('poison-0')) !== null, { what: 'poison-0 in the hub once changed' });
    }, 120_000);

    it('gives up on a device whose calls keep failing after the retry window, and moves on', async () => {
      const config = t.app.get<HubSyncConfig>(HUB_SYNC_CONFIG);
      const window = config.retryWindowMs;
      config.retryWindowMs = 1_500;
      gateway.unreachableFor.add('flaky-0');
      const before = await deadLetters('retries-exhausted');
      try {
        expect((await t.http('POST', '/api/devices/batch', { devices: batchOf('after-flaky', 'flaky-0') })).status).toBe(200);
        await hubSyncIdle();
      } finally {
        config.retryWindowMs = window;
        gateway.unreachableFor.delete('flaky-0');
      }
      expect(gateway.upsertCalls.filter((ids) => ids.includes('flaky-0')).length).toBeGreaterThan(1);
      expect(await twinTags('flaky-0')).toBeNull();
      const [failure] = await hubSyncRepository.failuresOf(t.dataSource, 'flaky-0');
      expect(failure).toMatchObject({ operation: 'upsert', cause: 'retries-exhausted', source: 'background', reason: expect.stringMatching(/ECONNREFUSED/) });
      // Unlike a refusal, it is tried again by the next sync or job that needs it.
      expect(await hubSyncRepository.needingSync(t.dataSource, ['flaky-0'], false)).toEqual(['flaky-0']);
      expect(await deadLetters('retries-exhausted')).toBeGreaterThan(before);
      // The devices that shared its calls were split off from it and reached the hub.
      expect((await hubDevices()).filter((d) => d.deviceId.startsWith('after-flaky-'))).toHaveLength(40);
      expect(await t.dataSource.query(`SELECT device_id FROM device_set.hub_sync_failures WHERE device_id LIKE 'after-flaky-%'`)).toEqual([]);
    }, 120_000);

    it('tells a real refusal of the hub from a transient failure by the status the adapter reports', async () => {
      const wrongKey = hub.simulator.connectionString.replace(/SharedAccessKey=[^;]+/, `SharedAccessKey=${Buffer.from('wrong').toString('base64')}`);
      const intruder = new AzureIotHubDeviceGateway({ connectionString: wrongKey, caCertPem: hub.simulator.caCertPem });
      try {
        const error = await intruder.upsertDevices([{ deviceId: 'x', displayName: 'x', template: 'vending-machine', tags: {} }]).then(
          () => null,
          (thrown: unknown) => thrown,
        );
        expect(httpStatusOf(error)).toBe(401);
        // Credentials are not about the devices: retried within the window, not set aside at once.
        expect(classifyHubFailure(error)).toMatchObject({ kind: 'transient' });
      } finally {
        await intruder.close();
      }
    });
  });
});
