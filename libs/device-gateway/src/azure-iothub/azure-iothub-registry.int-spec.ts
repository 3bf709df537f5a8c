import { randomBytes } from 'node:crypto';
import { startThrowawayHubSimulator, ThrowawayHubSimulator } from '@fleetjobs/hub-simulator';
import { HubDevice, HubThrottledError } from '../device-gateway.port';
import { AzureIotHubDeviceGateway } from './azure-iothub-device-gateway.adapter';

async function collect(pages: AsyncIterable<HubDevice[]>): Promise<HubDevice[][]> {
  const all: HubDevice[][] = [];
  for await (const page of pages) all.push(page);
  return all;
}

describe('AzureIotHubDeviceGateway: registry sync, auth and throttling against the hub simulator', () => {
  let hub: ThrowawayHubSimulator;
  let gateway: AzureIotHubDeviceGateway;
  const fleet: HubDevice[] = Array.from({ length: 100 }, (_, i) => ({
    deviceId: `vm-${String(i).padStart(3, '0')}`,
    template: 'vending-machine',
    displayName: `Machine ${i}`,
    tags: { city: i < 50 ? 'Seattle' : 'Oslo', floor: i % 5 },
  }));

  beforeAll(async () => {
    hub = await startThrowawayHubSimulator();
    gateway = new AzureIotHubDeviceGateway({ connectionString: hub.simulator.connectionString, caCertPem: hub.simulator.caCertPem });
  });

  afterAll(async () => {
    await gateway?.close();
    await hub?.dispose();
  });

  it('creates 100 devices with their twin tags in one bulk call and lists them back page by page', async () => {
    await gateway.upsertDevices(fleet);
    const creates = await hub.admin.operations({ kind: 'registry' });
    expect(creates).toHaveLength(100);
    expect(new Set(creates.map((operation) => operation.requestId)).size).toBe(1);
    expect(creates.every((operation) => operation.name === 'create')).toBe(true);

    const pages = await collect(gateway.listDevices(30));
    expect(pages.map((page) => page.length)).toEqual([30, 30, 30, 10]);
    expect(pages.flat()).toEqual(fleet);
  });

  it('re-tags only changed devices, keeping property values and dropping removed tags', async () => {
    await hub.admin.clearOperations();
    expect(await gateway.applyProperty('vm-001', 'location', 'lobby')).toEqual({ ok: true });
    const changed: HubDevice = { ...fleet[1], displayName: null, tags: { city: 'Lima' } };
    await gateway.upsertDevices([changed, fleet[2]]);

    const twin = (await hub.admin.request('GET', '/twins/vm-001')).body as { tags: Record<string, unknown> };
    expect(twin.tags).toEqual({ fleetjobs: { template: 'vending-machine' }, city: 'Lima', properties: { location: 'lobby' } });
    expect(await hub.admin.operations({ deviceId: 'vm-002' })).toEqual([]);
    expect(await hub.admin.operations({ kind: 'registry' })).toEqual([]);
    expect(await hub.admin.operations({ deviceId: 'vm-001', kind: 'twin-patch' })).toHaveLength(2);

    const listed = (await collect(gateway.listDevices(1000))).flat();
    expect(listed.find((device) => device.deviceId === 'vm-001')).toEqual(changed);
  });

  it('creates new and re-tags existing devices in one upsert', async () => {
    const fresh: HubDevice = { deviceId: 'vm-new', template: 'kiosk', displayName: null, tags: {} };
    const retagged: HubDevice = { ...fleet[3], template: 'kiosk' };
    await gateway.upsertDevices([fresh, retagged]);
    const listed = (await collect(gateway.listDevices(1000))).flat();
    expect(listed).toEqual(expect.arrayContaining([fresh, retagged]));
  });

  it('deletes devices in bulk and ignores unknown ids', async () => {
    await gateway.deleteDevices(['vm-098', 'vm-099', 'never-registered']);
    const ids = (await collect(gateway.listDevices(1000))).flat().map((device) => device.deviceId);
    expect(ids).not.toContain('vm-098');
    expect(ids).not.toContain('vm-099');
    expect(ids).toContain('vm-097');
    expect(await hub.admin.operations({ deviceId: 'vm-098', kind: 'registry', name: 'delete' })).toHaveLength(1);
  });

  it('refuses device tags that collide with the reserved twin tag names', async () => {
    await expect(gateway.upsertDevices([{ ...fleet[0], tags: { properties: 'x' } }])).rejects.toThrow(/reserved/);
  });

  it('throws a transport error on 401 when the key is wrong', async () => {
    const wrongKey = hub.simulator.connectionString.replace(/SharedAccessKey=[^;]+/, `SharedAccessKey=${randomBytes(32).toString('base64')}`);
    const intruder = new AzureIotHubDeviceGateway({ connectionString: wrongKey, caCertPem: hub.simulator.caCertPem });
    try {
      await expect(intruder.applyProperty('vm-000', 'location', 'x')).rejects.toThrow(/HTTP 401 IotHubUnauthorizedAccess/);
      await expect(intruder.invokeCommand('vm-000', 'reboot', null, { responseTimeoutMs: 5000 })).rejects.toThrow(/HTTP 401/);
    } finally {
      await intruder.close();
    }
  });

  it('throws HubThrottledError with the Retry-After delay on 429', async () => {
    hub.simulator.setMaxRequestsPerSecond(1);
    try {
      const attempts = [
        gateway.invokeCommand('vm-000', 'reboot', null, { responseTimeoutMs: 5000 }),
        gateway.invokeCommand('vm-000', 'reboot', null, { responseTimeoutMs: 5000 }),
      ];
      const results = await Promise.allSettled(attempts);
      const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
      expect(rejected).toHaveLength(1);
      expect(rejected[0].reason).toBeInstanceOf(HubThrottledError);
      expect((rejected[0].reason as HubThrottledError).retryAfterMs).toBe(1000);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    } finally {
      hub.simulator.setMaxRequestsPerSecond(null);
    }
    expect(await hub.admin.operations({ deviceId: 'vm-000', kind: 'method' })).toHaveLength(1);
  });
});
