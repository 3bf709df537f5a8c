import { startThrowawayHubSimulator, ThrowawayHubSimulator } from '@fleetjobs/hub-simulator';
import { AzureIotHubDeviceGateway } from './azure-iothub-device-gateway.adapter';

interface Twin {
  tags: Record<string, unknown>;
  properties: { desired: Record<string, unknown>; reported: Record<string, unknown> };
}

describe('AzureIotHubDeviceGateway: properties and settings through the azure-iothub SDK against the hub simulator', () => {
  let hub: ThrowawayHubSimulator;
  let gateway: AzureIotHubDeviceGateway;

  beforeAll(async () => {
    hub = await startThrowawayHubSimulator();
    gateway = new AzureIotHubDeviceGateway({
      connectionString: hub.simulator.connectionString,
      caCertPem: hub.simulator.caCertPem,
      ackPollIntervalMs: 50,
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await hub?.dispose();
  });

  const twinOf = async (deviceId: string): Promise<Twin> => (await hub.admin.request('GET', `/twins/${deviceId}`)).body as Twin;

  describe('applyProperty', () => {
    it('writes the value into the twin tags under properties, reaching the hub once', async () => {
      await hub.admin.seedDevices([{ deviceId: 'prop-1', tags: { city: 'Oslo' } }]);
      expect(await gateway.applyProperty('prop-1', 'location', 'lobby')).toEqual({ ok: true });
      expect((await twinOf('prop-1')).tags).toEqual({ city: 'Oslo', properties: { location: 'lobby' } });
      expect(await hub.admin.operations({ deviceId: 'prop-1' })).toEqual([
        expect.objectContaining({ kind: 'twin-patch', name: 'tags.properties.location' }),
      ]);
    });

    it('replaces an object value instead of merging it into the old one', async () => {
      await hub.admin.seedDevices([{ deviceId: 'prop-2' }]);
      expect(await gateway.applyProperty('prop-2', 'config', { a: 1, nested: { b: 2, c: 3 } })).toEqual({ ok: true });
      expect(await gateway.applyProperty('prop-2', 'config', { nested: { b: 5 } })).toEqual({ ok: true });
      expect((await twinOf('prop-2')).tags['properties']).toEqual({ config: { nested: { b: 5 } } });
    });

    it('fails for a device the hub does not know', async () => {
      expect(await gateway.applyProperty('ghost', 'location', 'x')).toEqual({
        ok: false,
        error: 'device ghost is not registered in the hub',
      });
    });
  });

  describe('applySetting', () => {
    it('succeeds when a fast device acknowledges within the patch, reaching the hub once', async () => {
      await hub.admin.seedDevices([{ deviceId: 'set-fast' }]);
      expect(await gateway.applySetting('set-fast', 'fanSpeed', 3, { ackTimeoutMs: 5000 })).toEqual({ ok: true });
      const twin = await twinOf('set-fast');
      expect(twin.properties.desired['fanSpeed']).toBe(3);
      expect(twin.properties.reported['fanSpeed']).toMatchObject({ value: 3, ac: 200, ad: 'completed' });
      expect(await hub.admin.operations({ deviceId: 'set-fast', kind: 'twin-patch' })).toEqual([
        expect.objectContaining({ name: 'desired.fanSpeed', payload: { properties: { desired: { fanSpeed: 3 } } } }),
      ]);
    });

    it('waits for a slow device by polling the twin', async () => {
      await hub.admin.seedDevices([{ deviceId: 'set-slow', tags: { simulator: { latencyMs: 400 } } }]);
      const started = Date.now();
      expect(await gateway.applySetting('set-slow', 'fanSpeed', 4, { ackTimeoutMs: 10_000 })).toEqual({ ok: true });
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
      expect(await hub.admin.operations({ deviceId: 'set-slow', kind: 'twin-patch' })).toHaveLength(1);
    });

    it('applying the same value again waits for a fresh acknowledgement', async () => {
      await hub.admin.seedDevices([{ deviceId: 'set-again', tags: { simulator: { latencyMs: 300 } } }]);
      expect(await gateway.applySetting('set-again', 'mode', 'eco', { ackTimeoutMs: 10_000 })).toEqual({ ok: true });
      const firstVersion = (await twinOf('set-again')).properties.desired['$version'] as number;
      const started = Date.now();
      expect(await gateway.applySetting('set-again', 'mode', 'eco', { ackTimeoutMs: 10_000 })).toEqual({ ok: true });
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect((await twinOf('set-again')).properties.reported['mode']).toMatchObject({ av: firstVersion + 1 });
    });

    it('a hub throttling the reads while it waits for the acknowledgement does not make it patch again', async () => {
      await hub.admin.seedDevices([{ deviceId: 'set-throttled', tags: { simulator: { latencyMs: 1200 } } }]);
      const eager = new AzureIotHubDeviceGateway({
        connectionString: hub.simulator.connectionString,
        caCertPem: hub.simulator.caCertPem,
        ackPollIntervalMs: 5,
      });
      // Enough for the read and the patch; the polls then outrun the refill and get 429 with Retry-After.
      await hub.admin.setMaxRequestsPerSecond(3);
      try {
        expect(await eager.applySetting('set-throttled', 'fanSpeed', 5, { ackTimeoutMs: 10_000 })).toEqual({ ok: true });
      } finally {
        await hub.admin.setMaxRequestsPerSecond(null);
        await eager.close();
      }
      expect(await hub.admin.operations({ deviceId: 'set-throttled', kind: 'twin-patch' })).toHaveLength(1);
      expect((await twinOf('set-throttled')).properties.reported['fanSpeed']).toMatchObject({ value: 5, ac: 200 });
    });

    it('fails with the device reason when the device rejects the setting', async () => {
      await hub.admin.seedDevices([{ deviceId: 'set-reject', tags: { simulator: { rejectSettings: true } } }]);
      expect(await gateway.applySetting('set-reject', 'fanSpeed', 9, { ackTimeoutMs: 5000 })).toEqual({
        ok: false,
        error: 'the device rejected the setting: rejected by device (code 400)',
      });
    });

    it('fails at once for an offline device, without patching its twin', async () => {
      await hub.admin.seedDevices([{ deviceId: 'set-offline', tags: { simulator: { online: false } } }]);
      const started = Date.now();
      expect(await gateway.applySetting('set-offline', 'fanSpeed', 2, { ackTimeoutMs: 30_000 })).toEqual({
        ok: false,
        error: 'device is offline (not connected); the setting was not applied',
      });
      // Not after waiting out the acknowledgement's deadline (what separates the two, however busy the machine).
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(await hub.admin.operations({ deviceId: 'set-offline' })).toEqual([]);
    });

    it('fails when the acknowledgement does not come within the timeout, naming the timeout', async () => {
      await hub.admin.seedDevices([{ deviceId: 'set-late', tags: { simulator: { latencyMs: 60_000 } } }]);
      const started = Date.now();
      expect(await gateway.applySetting('set-late', 'fanSpeed', 2, { ackTimeoutMs: 1500 })).toEqual({
        ok: false,
        error: 'the device did not acknowledge the setting within 1.5 s',
      });
      const elapsed = Date.now() - started;
      // At the deadline, not when the device would have answered.
      expect(elapsed).toBeGreaterThanOrEqual(1500);
      expect(elapsed).toBeLessThan(60_000);
    });

    it('fails with a timeout when the hub does not answer the twin write within the write timeout, having sent it once', async () => {
      await hub.admin.seedDevices([{ deviceId: 'set-hung', tags: { simulator: { twinWriteLatencyMs: 60_000 } } }]);
      const started = Date.now();
      expect(await gateway.applySetting('set-hung', 'fanSpeed', 6, { ackTimeoutMs: 30_000, writeTimeoutMs: 1500 })).toEqual({
        ok: false,
        error: 'setting fanSpeed timed out: the hub did not answer the twin write within 1.5 s',
      });
      const elapsed = Date.now() - started;
      // At the write timeout, not when the hub would have answered.
      expect(elapsed).toBeGreaterThanOrEqual(1500);
      expect(elapsed).toBeLessThan(60_000);
      expect(await hub.admin.operations({ deviceId: 'set-hung', kind: 'twin-patch' })).toHaveLength(1);
    });

    it('fails for a device the hub does not know', async () => {
      expect(await gateway.applySetting('ghost', 'fanSpeed', 1, { ackTimeoutMs: 1000 })).toEqual({
        ok: false,
        error: 'device ghost is not registered in the hub',
      });
    });
  });
});
