import { startThrowawayHubSimulator, ThrowawayHubSimulator } from './testing/throwaway-hub-simulator';

const message = (body: unknown): string => (body as { Message: string }).Message;

describe("hub simulator: IoT Hub's documented limits", () => {
  let hub: ThrowawayHubSimulator;

  beforeAll(async () => {
    hub = await startThrowawayHubSimulator();
    await hub.admin.seedDevices([{ deviceId: 'strict' }]);
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  it('requires api-version on hub requests, as IoT Hub answers without one', async () => {
    const answer = await hub.admin.request('GET', '/twins/strict?api-version=');
    expect(answer.status).toBe(400);
    expect(answer.headers['iothub-errorcode']).toBe('InvalidProtocolVersion');
    expect(message(answer.body)).toMatch(/^ErrorCode:InvalidProtocolVersion;/);
    expect((await hub.admin.request('GET', '/twins/strict?api-version=2021-04-12')).status).toBe(200);
  });

  it("refuses twin keys with '.', '$' or space, strings over 4 KB and objects nested deeper than 10 levels", async () => {
    let deep: unknown = 'leaf';
    for (let level = 0; level < 11; level++) deep = { d: deep };
    const refused = [
      { tags: { 'serial.no': 'A1' } },
      { properties: { desired: { $version: 3 } } },
      { properties: { desired: { 'fan speed': 3 } } },
      { tags: { notes: 'x'.repeat(4097) } },
      { tags: { deep } },
    ];
    for (const patch of refused) {
      const answer = await hub.admin.request('PATCH', '/twins/strict', patch, { 'if-match': '*' });
      expect({ patch, status: answer.status, code: answer.headers['iothub-errorcode'] }).toEqual({ patch, status: 400, code: 'ArgumentInvalid' });
    }
    const twin = (await hub.admin.request('GET', '/twins/strict')).body as { tags: object; properties: { desired: Record<string, unknown> } };
    expect(twin.tags).toEqual({});
    expect(Object.keys(twin.properties.desired).sort()).toEqual(['$metadata', '$version']);
  });

  it('refuses a bulk import whose tags no twin holds, creating none of its devices', async () => {
    const answer = await hub.admin.request('POST', '/devices', [
      { id: 'imported-ok', importMode: 'create', tags: { city: 'Oslo' } },
      { id: 'imported-bad', importMode: 'create', tags: { 'serial.no': 'A1' } },
    ]);
    expect(answer.status).toBe(400);
    expect(message(answer.body)).toMatch(/device imported-bad: tags\.serial\.no/);
    expect((await hub.admin.request('GET', '/devices/imported-ok')).status).toBe(404);
  });

  it('refuses desired properties growing beyond 32 KB', async () => {
    const chunk = (letter: string) => letter.repeat(4000);
    const desired = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((key) => [key, chunk(key)]));
    expect((await hub.admin.request('PATCH', '/twins/strict', { properties: { desired } }, { 'if-match': '*' })).status).toBe(200);
    const over = await hub.admin.request('PATCH', '/twins/strict', { properties: { desired: { i: chunk('i') } } }, { 'if-match': '*' });
    expect(over.status).toBe(400);
    expect(message(over.body)).toMatch(/properties\.desired would be \d+ bytes, over the twin's limit of 32768/);
  });

  it('refuses a method named outside printable US-ASCII separators and a payload over 128 KB', async () => {
    const spaced = await hub.admin.request('POST', '/twins/strict/methods', { methodName: 'do it', payload: null });
    expect(spaced.status).toBe(400);
    expect(message(spaced.body)).toMatch(/method name/);
    const big = await hub.admin.request('POST', '/twins/strict/methods', { methodName: 'upload', payload: { data: 'y'.repeat(130 * 1024) } });
    expect(big.status).toBe(400);
    expect(message(big.body)).toMatch(/over the limit of 131072/);
    expect((await hub.admin.request('POST', '/twins/strict/methods', { methodName: 'firmware.update', payload: null })).status).toBe(200);
  });

  it('throttles each kind of operation on its own: an S1 registry slows down, then refuses with 429 and no Retry-After, while twins go on', async () => {
    await hub.admin.setThrottle({ sku: 'S1', units: 1 });
    try {
      const started = Date.now();
      const answers = await Promise.all(
        Array.from({ length: 8 }, async () => {
          const answer = await hub.admin.request('GET', '/devices/strict');
          return { status: answer.status, retryAfter: answer.headers['retry-after'], code: answer.headers['iothub-errorcode'], ms: Date.now() - started };
        }),
      );
      const served = answers.filter((answer) => answer.status === 200);
      const refused = answers.filter((answer) => answer.status === 429);
      // 1.67 a second with a queue of two seconds: a few are served, some of them late, the rest refused.
      expect(served.length).toBeGreaterThanOrEqual(2);
      expect(served.length).toBeLessThanOrEqual(6);
      expect(Math.max(...served.map((answer) => answer.ms))).toBeGreaterThanOrEqual(500);
      expect(refused.length).toBe(answers.length - served.length);
      expect(refused.every((answer) => answer.retryAfter === undefined && answer.code === 'ThrottlingException')).toBe(true);
      expect((await hub.admin.request('GET', '/twins/strict')).status).toBe(200);
      const { throttles } = await hub.admin.stats();
      expect(throttles['registry']).toMatchObject({ refused: refused.length });
      expect(throttles['twin-read']).toMatchObject({ ratePerSecond: 100, refused: 0 });
    } finally {
      await hub.admin.setThrottle(null);
    }
  });
});
