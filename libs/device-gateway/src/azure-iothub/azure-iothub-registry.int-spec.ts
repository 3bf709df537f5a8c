import { randomBytes } from 'node:crypto';
import { startThrowawayHubSimulator, ThrowawayHubSimulator } from '@fleetjobs/hub-simulator';
import { HubDevice, MutationRefused, RequestGate } from '../device-gateway.port';
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

  it('retries only the throttled request, through the gate, waiting out Retry-After: each command reaches the device once', async () => {
    const throttles: number[] = [];
    let mutations = 0;
    let pausedUntil = 0;
    const gate: RequestGate = {
      beforeRead: async () => undefined,
      beforeMutation: async () => {
        mutations += 1;
        const wait = pausedUntil - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      },
      throttled: (retryAfterMs) => {
        throttles.push(retryAfterMs);
        pausedUntil = Date.now() + retryAfterMs;
      },
    };
    await hub.admin.clearOperations();
    hub.simulator.setMaxRequestsPerSecond(1);
    try {
      const results = await Promise.all([
        gateway.invokeCommand('vm-000', 'reboot', null, { responseTimeoutMs: 5000, gate }),
        gateway.invokeCommand('vm-000', 'reboot', null, { responseTimeoutMs: 5000, gate }),
      ]);
      expect(results).toEqual([{ ok: true }, { ok: true }]);
      expect(throttles.length).toBeGreaterThanOrEqual(1);
      expect(throttles[0]).toBe(1000);
      expect(mutations).toBe(2 + throttles.length);
    } finally {
      hub.simulator.setMaxRequestsPerSecond(null);
    }
    expect(await hub.admin.operations({ deviceId: 'vm-000', kind: 'method' })).toHaveLength(2);
  });

  it('sends nothing when the gate refuses a change', async () => {
    await hub.admin.clearOperations();
    const refusing: RequestGate = {
      beforeRead: async () => undefined,
      beforeMutation: async () => {
        throw new MutationRefused('the job was halted');
      },
      throttled: () => undefined,
    };
    await expect(gateway.invokeCommand('vm-000', 'reboot', null, { responseTimeoutMs: 5000, gate: refusing })).rejects.toBeInstanceOf(MutationRefused);
    await expect(gateway.applyProperty('vm-000', 'location', 'x', { gate: refusing })).rejects.toBeInstanceOf(MutationRefused);
    await expect(gateway.applySetting('vm-000', 'fanSpeed', 2, { ackTimeoutMs: 1000, gate: refusing })).rejects.toBeInstanceOf(MutationRefused);
    expect(await hub.admin.operations({ deviceId: 'vm-000' })).toEqual([]);
  });
});
