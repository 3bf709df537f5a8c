import { startThrowawayHubSimulator, ThrowawayHubSimulator } from '@fleetjobs/hub-simulator';
import { AzureIotHubDeviceGateway } from './azure-iothub-device-gateway.adapter';

/** What a real IoT Hub refuses, refused the same way by the simulator and reported by the gateway, not waited out. */
describe("AzureIotHubDeviceGateway against the hub simulator's IoT Hub limits", () => {
  let hub: ThrowawayHubSimulator;
  let gateway: AzureIotHubDeviceGateway;

  beforeAll(async () => {
    hub = await startThrowawayHubSimulator();
    gateway = new AzureIotHubDeviceGateway({ connectionString: hub.simulator.connectionString, caCertPem: hub.simulator.caCertPem });
    await hub.admin.seedDevices([{ deviceId: 'limits' }, ...Array.from({ length: 250 }, (_, i) => ({ deviceId: `busy-${i}` }))]);
  });

  afterAll(async () => {
    await gateway?.close();
    await hub?.dispose();
  });

  it('fails a method name or payload the hub refuses at once, naming the reason, and runs nothing', async () => {
    const options = { responseTimeoutMs: 30_000 };
    expect(await gateway.invokeCommand('limits', 'do it', null, options)).toEqual({
      ok: false,
      error: expect.stringMatching(/^the hub refused it \(HTTP 400 ArgumentInvalid\): methodName must be printable US-ASCII/),
    });
    expect(await gateway.invokeCommand('limits', 'upload', { blob: 'x'.repeat(150 * 1024) }, options)).toEqual({
      ok: false,
      error: expect.stringMatching(/^the hub refused it \(HTTP 400 ArgumentInvalid\): .*131072/),
    });
    expect(await hub.admin.operations({ deviceId: 'limits', kind: 'method' })).toEqual([]);
  });

  it('fails a setting named $version and a 9 KB property value at once instead of waiting for an acknowledgement', async () => {
    const started = Date.now();
    expect(await gateway.applySetting('limits', '$version', 1, { ackTimeoutMs: 30_000 })).toEqual({
      ok: false,
      error: expect.stringMatching(/^the hub refused it \(HTTP 400 ArgumentInvalid\): properties\.desired\.\$version/),
    });
    // Not after waiting out the acknowledgement's deadline, however busy the machine.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(await gateway.applyProperty('limits', 'notes', 'x'.repeat(9 * 1024))).toEqual({
      ok: false,
      error: expect.stringMatching(/4096 bytes/),
    });
    const twin = (await hub.admin.request('GET', '/twins/limits')).body as { tags: Record<string, unknown> };
    expect(twin.tags['properties']).toBeUndefined();
  });

  it('refuses a patch that would grow the twin tags beyond 8 KB', async () => {
    const half = { a: 'x'.repeat(4000), b: 'y'.repeat(4000) };
    expect((await hub.admin.request('PATCH', '/twins/limits', { tags: half }, { 'if-match': '*' })).status).toBe(200);
    const over = await hub.admin.request('PATCH', '/twins/limits', { tags: { c: 'z'.repeat(500) } }, { 'if-match': '*' });
    expect(over.status).toBe(400);
    expect((over.body as { Message: string }).Message).toMatch(/^ErrorCode:ArgumentInvalid;tags would be \d+ bytes, over the twin's limit of 8192/);
    expect((await hub.admin.request('PATCH', '/twins/limits', { tags: { a: null, b: null } }, { 'if-match': '*' })).status).toBe(200);
  });

  it("gets every operation through an S1 hub's per-kind throttles, which slow it down or refuse it with 429", async () => {
    await hub.admin.setThrottle({ sku: 'S1', units: 1 });
    try {
      // Ten direct methods of 120 KB are 300 of the 4 KB meters S1 serves at 40 a second: however
      // slowly a busy machine sends them, they reach the hub faster than that, so some are slowed
      // down or refused. (250 twin writes may arrive below S1's 50 a second on a starved machine.)
      const payload = { blob: 'x'.repeat(120 * 1024) };
      const outcomes = await Promise.all([
        ...Array.from({ length: 250 }, (_, i) => gateway.applyProperty(`busy-${i}`, 'location', `room ${i}`)),
        ...Array.from({ length: 10 }, (_, i) => gateway.invokeCommand(`busy-${i}`, 'upload', payload, { responseTimeoutMs: 30_000 })),
      ]);
      expect(outcomes.filter((outcome) => !outcome.ok)).toEqual([]);
      const { throttles } = await hub.admin.stats();
      expect(throttles['twin-update']).toMatchObject({ ratePerSecond: 50 });
      expect(throttles['method']).toMatchObject({ ratePerSecond: 40 });
      expect(throttles['method']!.shaped + throttles['method']!.refused).toBeGreaterThan(0);
      expect(await hub.admin.operations({ kind: 'method', limit: 100 })).toHaveLength(10);
    } finally {
      await hub.admin.setThrottle(null);
    }
  });
});
