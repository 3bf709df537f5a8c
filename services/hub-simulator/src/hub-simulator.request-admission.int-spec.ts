import { request } from 'node:https';
import { signSasToken } from './sas-token.verifier';
import { startThrowawayHubSimulator, ThrowawayHubSimulator } from './testing/throwaway-hub-simulator';

interface RawAnswer {
  status: number;
  body: { Message?: string };
  connection: string | undefined;
}

describe('hub simulator: what it reads of a request before answering', () => {
  let hub: ThrowawayHubSimulator;

  beforeAll(async () => {
    hub = await startThrowawayHubSimulator();
    await hub.admin.seedDevices([{ deviceId: 'capped' }]);
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  /** Sends the headers and the first `sentBytes` of a body declared `declaredBytes` long, and waits for the answer. */
  function sendPartly(path: string, declaredBytes: number, sentBytes: number, authorization: string | null): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: hub.simulator.port,
          method: 'PATCH',
          path,
          ca: hub.simulator.caCertPem,
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'content-length': String(declaredBytes),
            ...(authorization ? { authorization } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')), connection: res.headers.connection }),
          );
        },
      );
      req.on('error', reject);
      req.write(Buffer.alloc(sentBytes, 0x20));
    });
  }

  const token = (): string => signSasToken(`127.0.0.1:${hub.simulator.port}`, 'iothubowner', sharedKey(), Math.floor(Date.now() / 1000) + 600);
  const sharedKey = (): string => /SharedAccessKey=([^;]+)/.exec(hub.simulator.connectionString)?.[1] ?? '';

  it('answers 401 to an unsigned 64 MB body after its first kilobyte, and closes the connection', async () => {
    const answer = await sendPartly('/twins/capped', 64 * 1024 * 1024, 1024, null);
    expect(answer.status).toBe(401);
    expect(answer.body.Message).toMatch(/^ErrorCode:IotHubUnauthorizedAccess;/);
    expect(answer.connection).toBe('close');
  });

  it('answers 413 to a signed twin patch declared larger than IoT Hub accepts, without reading it', async () => {
    const answer = await sendPartly('/twins/capped', 64 * 1024 * 1024, 1024, token());
    expect(answer.status).toBe(413);
    expect(answer.body.Message).toMatch(/^ErrorCode:RequestEntityTooLarge;/);
  });

  it('answers 413 to a twin patch whose body runs past the limit, and applies nothing', async () => {
    const large = { tags: { blob: 'x'.repeat(128 * 1024) } };
    const answer = await hub.admin.request('PATCH', '/twins/capped', large, { 'if-match': '*' });
    expect(answer.status).toBe(413);
    const twin = (await hub.admin.request('GET', '/twins/capped')).body as { tags: Record<string, unknown> };
    expect(twin.tags).toEqual({});
  });

  it('accepts a direct method payload of 100 KB, within IoT Hub\'s 128 KB', async () => {
    const answer = await hub.admin.request('POST', '/twins/capped/methods', { methodName: 'upload', payload: { data: 'y'.repeat(100 * 1024) } });
    expect(answer.status).toBe(200);
  });
});
