import { startThrowawayHubSimulator, ThrowawayHubSimulator } from './testing/throwaway-hub-simulator';

/** Polls `read` until `accept` holds or the deadline passes; returns the last value read. */
async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    value = await read();
  }
  return value;
}

interface Twin {
  etag: string;
  connectionState: string;
  tags: Record<string, unknown>;
  properties: { desired: Record<string, unknown>; reported: Record<string, unknown> };
}

describe('hub simulator over HTTPS on PostgreSQL', () => {
  let hub: ThrowawayHubSimulator;

  beforeAll(async () => {
    hub = await startThrowawayHubSimulator();
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  it('answers 401 in IoT Hub shape without a valid SAS token', async () => {
    const missing = await hub.admin.request('GET', '/twins/any', undefined, { authorization: null });
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ Message: expect.stringMatching(/^ErrorCode:IotHubUnauthorizedAccess;/), ExceptionMessage: expect.any(String) });
    const forged = await hub.admin.request('GET', '/_simulator/stats', undefined, {
      authorization: `SharedAccessSignature sr=127.0.0.1:${hub.simulator.port}&sig=AAAA&skn=iothubowner&se=${Math.floor(Date.now() / 1000) + 60}`,
    });
    expect(forged.status).toBe(401);
  });

  it('answers 404 DeviceNotFound for an unknown twin and 412 for a stale etag', async () => {
    const unknown = await hub.admin.request('GET', '/twins/nobody?api-version=2021-04-12');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['iothub-errorcode']).toBe('DeviceNotFound');
    expect((unknown.body as { Message: string }).Message).toMatch(/^ErrorCode:DeviceNotFound;/);

    await hub.admin.seedDevices([{ deviceId: 'etag-dev' }]);
    const twin = (await hub.admin.request('GET', '/twins/etag-dev')).body as Twin;
    const first = await hub.admin.request('PATCH', '/twins/etag-dev', { tags: { a: 1 } }, { 'if-match': `"${twin.etag}"` });
    expect(first.status).toBe(200);
    const stale = await hub.admin.request('PATCH', '/twins/etag-dev', { tags: { a: 2 } }, { 'if-match': `"${twin.etag}"` });
    expect(stale.status).toBe(412);
    expect(((await hub.admin.request('GET', '/twins/etag-dev')).body as Twin).tags).toEqual({ a: 1 });
  });

  it('seeds 10,000 devices in one call and pages through them with a tag filter', async () => {
    const devices = Array.from({ length: 10_000 }, (_, i) => ({
      deviceId: `fleet-${String(i).padStart(5, '0')}`,
      tags: { city: i % 2 === 0 ? 'Seattle' : 'Oslo' },
    }));
    expect(await hub.admin.seedDevices(devices)).toBe(10_000);

    const ids: string[] = [];
    let continuation: string | undefined;
    let pages = 0;
    do {
      const page = await hub.admin.request(
        'POST',
        '/devices/query',
        { query: "SELECT * FROM devices WHERE tags.city = 'Seattle'" },
        { 'x-ms-max-item-count': '2000', ...(continuation ? { 'x-ms-continuation': continuation } : {}) },
      );
      expect(page.status).toBe(200);
      ids.push(...(page.body as { deviceId: string }[]).map((twin) => twin.deviceId));
      continuation = page.headers['x-ms-continuation'] as string | undefined;
      pages++;
    } while (continuation);
    expect(ids).toHaveLength(5000);
    expect(new Set(ids).size).toBe(5000);
    expect(pages).toBe(3);
  });

  it('a slow device acknowledges later, even across a simulator restart', async () => {
    await hub.admin.seedDevices([{ deviceId: 'slow-dev', tags: { simulator: { latencyMs: 1500 } } }]);
    const patched = await hub.admin.request('PATCH', '/twins/slow-dev', { properties: { desired: { fanSpeed: 3 } } }, { 'if-match': '"*"' });
    expect((patched.body as Twin).properties.reported['fanSpeed']).toBeUndefined();
    expect((await hub.admin.stats()).pendingAcks).toBe(1);

    await hub.restart();
    const twin = await eventually(
      async () => (await hub.admin.request('GET', '/twins/slow-dev')).body as Twin,
      (current) => current.properties.reported['fanSpeed'] !== undefined,
    );
    expect(twin.properties.reported['fanSpeed']).toEqual({ value: 3, ac: 200, av: twin.properties.desired['$version'], ad: 'completed' });
    expect((await hub.admin.stats()).pendingAcks).toBe(0);
  });

  it('holds its answer to a desired-properties patch for the device\'s twin write latency, the patch applied at once', async () => {
    await hub.admin.seedDevices([{ deviceId: 'hung-writer', tags: { simulator: { twinWriteLatencyMs: 3000 } } }]);
    const tagsPatchedAt = Date.now();
    expect((await hub.admin.request('PATCH', '/twins/hung-writer', { tags: { city: 'Oslo' } }, { 'if-match': '*' })).status).toBe(200);
    expect(Date.now() - tagsPatchedAt).toBeLessThan(3000);
    const sentAt = Date.now();
    let answeredAt: number | null = null;
    const answer = hub.admin.request('PATCH', '/twins/hung-writer', { properties: { desired: { fanSpeed: 7 } } }, { 'if-match': '*' });
    void answer.then(() => (answeredAt = Date.now()));
    const applied = await eventually(
      async () => ((await hub.admin.request('GET', '/twins/hung-writer')).body as Twin).properties.desired['fanSpeed'],
      (value) => value === 7,
    );
    expect(applied).toBe(7);
    expect(answeredAt).toBeNull();
    expect((await answer).status).toBe(200);
    expect(answeredAt! - sentAt).toBeGreaterThanOrEqual(3000);
  });

  it('an offline device acknowledges outstanding settings when it comes back online', async () => {
    await hub.admin.seedDevices([{ deviceId: 'sleepy', tags: { simulator: { online: false } } }]);
    const offline = (await hub.admin.request('PATCH', '/twins/sleepy', { properties: { desired: { mode: 'eco' } } }, { 'if-match': '*' }))
      .body as Twin;
    expect(offline.connectionState).toBe('Disconnected');
    expect(offline.properties.reported['mode']).toBeUndefined();
    const online = (await hub.admin.request('PATCH', '/twins/sleepy', { tags: { simulator: null } }, { 'if-match': '*' })).body as Twin;
    expect(online.connectionState).toBe('Connected');
    expect(online.properties.reported['mode']).toMatchObject({ value: 'eco', ac: 200 });
  });

  it('throttles beyond the rate limit with 429 as IoT Hub does (no Retry-After), admin routes excepted', async () => {
    await hub.admin.seedDevices([{ deviceId: 'busy' }]);
    await hub.admin.setMaxRequestsPerSecond(1);
    const since = await hub.admin.arrivalMark();
    const tallied = async () =>
      (await hub.admin.requestsPerSecond(since)).reduce((sum, second) => ({ all: sum.all + second.accepted + second.throttled, throttled: sum.throttled + second.throttled }), { all: 0, throttled: 0 });
    try {
      const before = await tallied();
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await hub.admin.request('GET', '/twins/busy'));
      const after = await tallied();
      expect(after.all - before.all).toBe(3);
      expect(after.throttled - before.throttled).toBe(answers.filter((answer) => answer.status === 429).length);
      const throttled = answers.find((answer) => answer.status === 429);
      expect(throttled?.headers['retry-after']).toBeUndefined();
      expect(throttled?.headers['iothub-errorcode']).toBe('ThrottlingException');
      expect((throttled?.body as { Message: string }).Message).toMatch(/^ErrorCode:ThrottlingException;/);
      expect((await hub.admin.stats()).maxRequestsPerSecond).toBe(1);
    } finally {
      await hub.admin.setMaxRequestsPerSecond(null);
    }
    expect((await hub.admin.request('GET', '/twins/busy')).status).toBe(200);
  });

  it('logs every operation once, filters the log and clears it', async () => {
    await hub.admin.clearOperations();
    await hub.admin.seedDevices([{ deviceId: 'logged' }]);
    await hub.admin.request('PATCH', '/twins/logged', { properties: { desired: { fanSpeed: 1 } } }, { 'if-match': '*', 'request-id': 'r-1' });
    await hub.admin.request('POST', '/twins/logged/methods', { methodName: 'reboot', payload: { delay: 1 }, responseTimeoutInSeconds: 5 });
    await hub.admin.request('POST', '/devices', [{ id: 'logged-2', importMode: 'create', tags: { a: 1 } }]);

    const patches = await hub.admin.operations({ deviceId: 'logged', kind: 'twin-patch' });
    expect(patches).toEqual([
      expect.objectContaining({ deviceId: 'logged', kind: 'twin-patch', name: 'desired.fanSpeed', requestId: 'r-1' }),
    ]);
    expect(await hub.admin.operations({ kind: 'method' })).toEqual([
      expect.objectContaining({ deviceId: 'logged', name: 'reboot', payload: { delay: 1 } }),
    ]);
    expect(await hub.admin.operations({ kind: 'registry' })).toEqual([expect.objectContaining({ deviceId: 'logged-2', name: 'create' })]);
    expect((await hub.admin.stats()).operations).toEqual({ 'twin-patch': 1, method: 1, registry: 1 });

    await hub.admin.clearOperations();
    expect(await hub.admin.operations()).toEqual([]);
  });

  it('answers registry single-device calls and refuses oversized bulk requests', async () => {
    const created = await hub.admin.request('PUT', '/devices/single', { deviceId: 'single' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ deviceId: 'single', status: 'enabled', authentication: { type: 'sas' } });
    expect((await hub.admin.request('PUT', '/devices/single', { deviceId: 'single' })).status).toBe(409);
    expect((await hub.admin.request('DELETE', '/devices/single', undefined, { 'if-match': '"*"' })).status).toBe(204);
    expect((await hub.admin.request('GET', '/devices/single')).status).toBe(404);
    const tooMany = Array.from({ length: 101 }, (_, i) => ({ id: `x${i}`, importMode: 'create' }));
    expect((await hub.admin.request('POST', '/devices', tooMany)).status).toBe(400);
  });
});
