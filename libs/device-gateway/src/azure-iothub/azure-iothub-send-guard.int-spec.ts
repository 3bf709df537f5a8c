import { startThrowawayHubSimulator, ThrowawayHubSimulator } from '@fleetjobs/hub-simulator';
import { RequestGate } from '../device-gateway.port';
import { AzureIotHubDeviceGateway } from './azure-iothub-device-gateway.adapter';

/** Lets every request through its first question; `beforeBytesLeave` answers as `leave` says, counting. */
function lastMomentGate(leave: () => boolean) {
  const counts = { asked: 0, notApplied: 0 };
  const gate: RequestGate = {
    beforeMutation: async () => undefined,
    beforeRead: async () => undefined,
    throttled: () => undefined,
    notApplied: () => void (counts.notApplied += 1),
    beforeBytesLeave: () => {
      counts.asked += 1;
      if (!leave()) throw new Error('the permit ran out');
    },
  };
  return { gate, counts };
}

describe('AzureIotHubDeviceGateway: the gate has the last word as a write leaves, through the azure-iothub SDK', () => {
  let hub: ThrowawayHubSimulator;
  let gateway: AzureIotHubDeviceGateway;

  beforeAll(async () => {
    hub = await startThrowawayHubSimulator();
    await hub.admin.seedDevices([{ deviceId: 'guard-cmd' }, { deviceId: 'guard-prop', tags: { properties: { location: 'old' } } }, { deviceId: 'guard-ok' }]);
  });
  // A gateway of its own per test: its first request opens a new connection.
  beforeEach(() => {
    gateway = new AzureIotHubDeviceGateway({ connectionString: hub.simulator.connectionString, caCertPem: hub.simulator.caCertPem });
  });
  afterEach(() => gateway?.close());
  afterAll(() => hub?.dispose());

  it('holds back a direct method, the first request on a new connection, once its gate refuses at the last moment', async () => {
    const { gate, counts } = lastMomentGate(() => false);
    await expect(gateway.invokeCommand('guard-cmd', 'reboot', {}, { gate, responseTimeoutMs: 10_000 })).rejects.toThrow('the permit ran out');
    expect(counts).toEqual({ asked: 1, notApplied: 1 });
    expect(await hub.admin.operations({ deviceId: 'guard-cmd', kind: 'method' })).toEqual([]);
  });

  it('holds back a property write after its read, leaving the twin as it was', async () => {
    const { gate, counts } = lastMomentGate(() => false);
    await expect(gateway.applyProperty('guard-prop', 'location', 'new', { gate })).rejects.toThrow('the permit ran out');
    expect(counts).toEqual({ asked: 1, notApplied: 1 });
    expect(await hub.admin.operations({ deviceId: 'guard-prop', kind: 'twin-patch' })).toEqual([]);
    const twin = (await hub.admin.request('GET', '/twins/guard-prop')).body as { tags: { properties: Record<string, unknown> } };
    expect(twin.tags.properties.location).toBe('old');
  });

  it('asks once per write and never for reads, and the write applies when the gate still agrees', async () => {
    const { gate, counts } = lastMomentGate(() => true);
    expect(await gateway.applyProperty('guard-ok', 'location', 'lobby', { gate })).toEqual({ ok: true });
    expect(await gateway.invokeCommand('guard-ok', 'reboot', {}, { gate, responseTimeoutMs: 10_000 })).toEqual({ ok: true });
    expect(counts).toEqual({ asked: 2, notApplied: 0 });
    expect(await hub.admin.operations({ deviceId: 'guard-ok', kind: 'twin-patch' })).toHaveLength(1);
  });
});
