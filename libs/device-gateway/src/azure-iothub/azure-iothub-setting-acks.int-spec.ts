import { startThrowawayHubSimulator, ThrowawayHubSimulator } from '@fleetjobs/hub-simulator';
import { waitFor } from '@fleetjobs/testing';
import { AzureIotHubDeviceGateway } from './azure-iothub-device-gateway.adapter';

/**
 * Settings whose acknowledgement comes after the patch, watched for many devices at once through
 * twin queries, through the azure-iothub SDK against the hub simulator.
 */
describe('AzureIotHubDeviceGateway: acknowledgements of many settings at once', () => {
  let hub: ThrowawayHubSimulator;
  let gateway: AzureIotHubDeviceGateway;

  beforeAll(async () => {
    hub = await startThrowawayHubSimulator();
    gateway = new AzureIotHubDeviceGateway({
      connectionString: hub.simulator.connectionString,
      caCertPem: hub.simulator.caCertPem,
      ackPollIntervalMs: 100,
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await hub?.dispose();
  });

  const requestsServed = async (): Promise<number> =>
    (await hub.admin.requestsPerSecond()).reduce((sum, second) => sum + second.accepted + second.throttled, 0);

  it('waits for many slow devices with queries, not a twin read per device and poll, each device with its own outcome', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `many-${i}`);
    await hub.admin.seedDevices([
      ...ids.map((deviceId) => ({ deviceId, tags: { simulator: { latencyMs: 600 } } })),
      { deviceId: 'many-reject', tags: { simulator: { latencyMs: 300, rejectSettings: true } } },
      { deviceId: 'many-late', tags: { simulator: { latencyMs: 60_000 } } },
    ]);
    const before = await requestsServed();
    const outcomes = await Promise.all([
      ...ids.map((id) => gateway.applySetting(id, 'fanSpeed', 4, { ackTimeoutMs: 30_000 })),
      gateway.applySetting('many-reject', 'fanSpeed', 4, { ackTimeoutMs: 30_000 }),
      gateway.applySetting('many-late', 'fanSpeed', 4, { ackTimeoutMs: 2000 }),
    ]);
    expect(outcomes).toEqual([
      ...ids.map(() => ({ ok: true })),
      { ok: false, error: 'the device rejected the setting: rejected by device (code 400)' },
      { ok: false, error: 'the device did not acknowledge the setting within 2 s' },
    ]);
    // A patch per device, their reads before it in a query or two; the waiting costs a query per
    // round for all of them (every 100 ms for at most 2 s here, however slow the machine: rounds
    // do not overlap).
    const requests = (await requestsServed()) - before;
    const devices = ids.length + 2;
    expect(requests).toBeGreaterThanOrEqual(devices + 1);
    expect(requests).toBeLessThan(devices + 2 + 25);
    for (const id of [...ids, 'many-reject', 'many-late']) {
      expect(await hub.admin.operations({ deviceId: id, kind: 'twin-patch' })).toHaveLength(1);
    }
  });

  it('fails a device deleted while it waits as unknown to the hub, and still hears the others', async () => {
    await hub.admin.seedDevices([
      { deviceId: 'deleted-meanwhile', tags: { simulator: { latencyMs: 60_000 } } },
      { deviceId: 'stays', tags: { simulator: { latencyMs: 1500 } } },
    ]);
    const deleted = gateway.applySetting('deleted-meanwhile', 'mode', 'eco', { ackTimeoutMs: 30_000 });
    const stays = gateway.applySetting('stays', 'mode', 'eco', { ackTimeoutMs: 30_000 });
    await waitFor('the setting patched', async () => (await hub.admin.operations({ deviceId: 'deleted-meanwhile', kind: 'twin-patch' })).length === 1);
    await gateway.deleteDevices(['deleted-meanwhile']);
    const started = Date.now();
    expect(await deleted).toEqual({ ok: false, error: 'device deleted-meanwhile is not registered in the hub' });
    // Not at the acknowledgement's deadline.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(await stays).toEqual({ ok: true });
  });

  it("waits out the hub's query throttle within the deadline, without patching again", async () => {
    const ids = ['throttled-q-1', 'throttled-q-2', 'throttled-q-3'];
    await hub.admin.seedDevices(ids.map((deviceId) => ({ deviceId, tags: { simulator: { latencyMs: 2500 } } })));
    // S1 with one unit: 20 queries a minute, so the queries of a round every 100 ms are held back or refused with Retry-After.
    await hub.admin.setThrottle({ sku: 'S1', units: 1 });
    try {
      const outcomes = await Promise.all(ids.map((id) => gateway.applySetting(id, 'fanSpeed', 2, { ackTimeoutMs: 30_000 })));
      expect(outcomes).toEqual(ids.map(() => ({ ok: true })));
      const queries = (await hub.admin.stats()).throttles['query'];
      expect((queries?.shaped ?? 0) + (queries?.refused ?? 0)).toBeGreaterThan(0);
    } finally {
      await hub.admin.setThrottle(null);
    }
    for (const id of ids) expect(await hub.admin.operations({ deviceId: id, kind: 'twin-patch' })).toHaveLength(1);
  });

  it('reads on its own a device whose id a query cannot carry', async () => {
    await hub.admin.seedDevices([{ deviceId: "quote'd", tags: { simulator: { latencyMs: 300 } } }]);
    expect(await gateway.applySetting("quote'd", 'fanSpeed', 1, { ackTimeoutMs: 30_000 })).toEqual({ ok: true });
  });
});
