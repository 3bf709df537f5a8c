import { startThrowawayHubSimulator, ThrowawayHubSimulator } from '@fleetjobs/hub-simulator';
import { MutationRefused, PreviousValue } from '../device-gateway.port';
import { AzureIotHubDeviceGateway } from './azure-iothub-device-gateway.adapter';

describe('AzureIotHubDeviceGateway: the value a property or setting write replaces, against the hub simulator', () => {
  let hub: ThrowawayHubSimulator;
  let gateway: AzureIotHubDeviceGateway;

  beforeAll(async () => {
    hub = await startThrowawayHubSimulator();
    gateway = new AzureIotHubDeviceGateway({ connectionString: hub.simulator.connectionString, caCertPem: hub.simulator.caCertPem, ackPollIntervalMs: 50 });
  });

  afterAll(async () => {
    await gateway?.close();
    await hub?.dispose();
  });

  const twinOf = async (deviceId: string) => (await hub.admin.request('GET', `/twins/${deviceId}`)).body as { tags: Record<string, any>; properties: { desired: Record<string, unknown> } };
  const patches = async (deviceId: string) => (await hub.admin.operations({ deviceId, kind: 'twin-patch' })).length;

  /** Records what it hears, and how many twin patches the hub had received at that moment. */
  const recorder = (deviceId: string) => {
    const heard: { previous: PreviousValue; patchesBefore: number }[] = [];
    return { heard, recordPrevious: async (previous: PreviousValue) => void heard.push({ previous, patchesBefore: await patches(deviceId) }) };
  };

  it('tells a property write what the twin held, before the write is sent; a property that had none is present false', async () => {
    await hub.admin.seedDevices([{ deviceId: 'prev-prop' }]);
    const first = recorder('prev-prop');
    expect(await gateway.applyProperty('prev-prop', 'location', { floor: 2 }, first)).toEqual({ ok: true });
    expect(first.heard).toEqual([{ previous: { present: false }, patchesBefore: 0 }]);
    const second = recorder('prev-prop');
    expect(await gateway.applyProperty('prev-prop', 'location', 'lobby', second)).toEqual({ ok: true });
    expect(second.heard).toEqual([{ previous: { present: true, value: { floor: 2 } }, patchesBefore: 1 }]);
  });

  it('reads the properties of devices that write together with one twin query, not one twin read each', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `prev-many-${i}`);
    await hub.admin.seedDevices(ids.map((deviceId, i) => ({ deviceId, tags: i % 2 === 0 ? { properties: { location: `old ${i}` } } : {} })));
    const requests = async () => (await hub.admin.requestsPerSecond()).reduce((sum, second) => sum + second.accepted + second.throttled, 0);
    const before = await requests();
    const heard: PreviousValue[][] = ids.map(() => []);
    const outcomes = await Promise.all(
      ids.map((deviceId, i) => gateway.applyProperty(deviceId, 'location', `new ${i}`, { recordPrevious: async (previous) => void heard[i].push(previous) })),
    );
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    expect(heard).toEqual(ids.map((_, i) => [i % 2 === 0 ? { present: true, value: `old ${i}` } : { present: false }]));
    // 20 patches, and the reads of the 20 devices in a query or two (however the machine spreads the calls).
    expect((await requests()) - before).toBeLessThanOrEqual(22);
    expect((await twinOf(ids[7])).tags.properties.location).toBe('new 7');
  });

  it('reads each device\'s own twin when shared reads are off, keeping the same previous values', async () => {
    const alone = new AzureIotHubDeviceGateway({ connectionString: hub.simulator.connectionString, caCertPem: hub.simulator.caCertPem, shareTwinReads: false });
    try {
      const ids = Array.from({ length: 10 }, (_, i) => `prev-own-${i}`);
      await hub.admin.seedDevices(ids.map((deviceId, i) => ({ deviceId, tags: i % 2 === 0 ? { properties: { location: `old ${i}` } } : {} })));
      const requests = async () => (await hub.admin.requestsPerSecond()).reduce((sum, second) => sum + second.accepted + second.throttled, 0);
      const before = await requests();
      const heard: PreviousValue[][] = ids.map(() => []);
      const outcomes = await Promise.all(
        ids.map((deviceId, i) => alone.applyProperty(deviceId, 'location', `new ${i}`, { recordPrevious: async (previous) => void heard[i].push(previous) })),
      );
      expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
      expect(heard).toEqual(ids.map((_, i) => [i % 2 === 0 ? { present: true, value: `old ${i}` } : { present: false }]));
      // A twin read and a patch for each device.
      expect((await requests()) - before).toBe(2 * ids.length);
    } finally {
      await alone.close();
    }
  });

  it('reads the settings of devices that write together with one twin query, and fails an offline device without writing', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `prev-set-many-${i}`);
    // The second device is offline.
    await hub.admin.seedDevices(ids.map((deviceId, i) => ({ deviceId, ...(i === 1 ? { tags: { simulator: { online: false } } } : {}) })));
    await gateway.applySetting(ids[0], 'fanSpeed', 1, { ackTimeoutMs: 5000 });
    const requests = async () => (await hub.admin.requestsPerSecond()).reduce((sum, second) => sum + second.accepted + second.throttled, 0);
    const before = await requests();
    const heard: PreviousValue[][] = ids.map(() => []);
    // Acknowledgements asked for once, at the deadline: the requests counted are the reads and the writes.
    const patient = new AzureIotHubDeviceGateway({ connectionString: hub.simulator.connectionString, caCertPem: hub.simulator.caCertPem, ackPollIntervalMs: 60_000 });
    const outcomes = await Promise.all(
      ids.map((deviceId, i) => patient.applySetting(deviceId, 'fanSpeed', 10 + i, { ackTimeoutMs: 3000, recordPrevious: async (previous) => void heard[i].push(previous) })),
    ).finally(() => patient.close());
    const sent = (await requests()) - before;
    expect(outcomes[1]).toEqual({ ok: false, error: 'device is offline (not connected); the setting was not applied' });
    expect(outcomes.filter((outcome) => !outcome.ok)).toHaveLength(1);
    expect(heard[0]).toEqual([{ present: true, value: 1 }]);
    expect(heard[1]).toEqual([]);
    expect(heard[2]).toEqual([{ present: false }]);
    expect((await twinOf(ids[7])).properties.desired['fanSpeed']).toBe(17);
    expect(await patches(ids[1])).toBe(0);
    // 19 patches, the reads of the 20 devices in a query or two, and one acknowledgement query: not a twin read each.
    expect(sent).toBeLessThanOrEqual(19 + 3);
  });

  it('keeps the value read again when the twin changed between the query and the write, which the etag refuses', async () => {
    await hub.admin.seedDevices([{ deviceId: 'prev-moved', tags: { properties: { location: 'old' } } }]);
    const heard: PreviousValue[] = [];
    const recordPrevious = async (previous: PreviousValue) => {
      heard.push(previous);
      // Another writer, after the read and before the write.
      if (heard.length === 1) await hub.admin.request('PATCH', '/twins/prev-moved', { tags: { properties: { location: 'moved' } } }, { 'if-match': '*' });
    };
    expect(await gateway.applyProperty('prev-moved', 'location', 'new', { recordPrevious })).toEqual({ ok: true });
    expect(heard).toEqual([
      { present: true, value: 'old' },
      { present: true, value: 'moved' },
    ]);
    expect((await twinOf('prev-moved')).tags.properties.location).toBe('new');
    expect(await patches('prev-moved')).toBe(2);
  });

  it('removes a property written as null', async () => {
    await hub.admin.seedDevices([{ deviceId: 'prev-remove', tags: { city: 'Oslo' } }]);
    await gateway.applyProperty('prev-remove', 'location', 'lobby');
    const heard = recorder('prev-remove');
    expect(await gateway.applyProperty('prev-remove', 'location', null, heard)).toEqual({ ok: true });
    expect(heard.heard).toEqual([{ previous: { present: true, value: 'lobby' }, patchesBefore: 1 }]);
    const { tags } = await twinOf('prev-remove');
    expect(tags.city).toBe('Oslo');
    expect(tags.properties ?? {}).not.toHaveProperty('location');
  });

  it('tells a setting write the desired value it replaces, before the write is sent', async () => {
    await hub.admin.seedDevices([{ deviceId: 'prev-set' }]);
    const first = recorder('prev-set');
    expect(await gateway.applySetting('prev-set', 'fanSpeed', 3, { ackTimeoutMs: 5000, ...first })).toEqual({ ok: true });
    expect(first.heard).toEqual([{ previous: { present: false }, patchesBefore: 0 }]);
    const second = recorder('prev-set');
    expect(await gateway.applySetting('prev-set', 'fanSpeed', 5, { ackTimeoutMs: 5000, ...second })).toEqual({ ok: true });
    expect(second.heard).toEqual([{ previous: { present: true, value: 3 }, patchesBefore: 1 }]);
  });

  it('sends nothing when the value cannot be kept', async () => {
    await hub.admin.seedDevices([{ deviceId: 'prev-refused' }]);
    const refuse = async () => {
      throw new MutationRefused('no claim');
    };
    await expect(gateway.applyProperty('prev-refused', 'location', 'lobby', { recordPrevious: refuse })).rejects.toThrow(MutationRefused);
    await expect(gateway.applySetting('prev-refused', 'fanSpeed', 3, { ackTimeoutMs: 5000, recordPrevious: refuse })).rejects.toThrow(MutationRefused);
    expect(await patches('prev-refused')).toBe(0);
  });

  it('is not asked when a re-drive finds the value already in place', async () => {
    await hub.admin.seedDevices([{ deviceId: 'prev-redrive' }]);
    await gateway.applyProperty('prev-redrive', 'location', 'lobby');
    await gateway.applySetting('prev-redrive', 'fanSpeed', 3, { ackTimeoutMs: 5000 });
    const heard = recorder('prev-redrive');
    expect(await gateway.applyProperty('prev-redrive', 'location', 'lobby', { redrive: true, ...heard })).toEqual({ ok: true });
    expect(await gateway.applySetting('prev-redrive', 'fanSpeed', 3, { ackTimeoutMs: 5000, redrive: true, ...heard })).toEqual({ ok: true });
    expect(heard.heard).toEqual([]);
    expect(await patches('prev-redrive')).toBe(2);
  });
});
