import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { ApiResponse, uniqueId } from '../support/fleetjobs.client';
import { createFleet, Fleet } from '../support/fleet.fixture';
import { systemUnderTest } from '../support/system-under-test';

const { api, hub } = systemUnderTest();

afterAll(() => hub.close());

const arrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const objects = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const DEEP = 10_000;
const cursorOf = (json: string) => Buffer.from(json, 'utf8').toString('base64url');

function expectRefusal(response: ApiResponse, statuses: number[], field: string | RegExp): void {
  expect(statuses).toContain(response.status);
  expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
  const fields: string[] = (response.body?.errors ?? []).map((error: { field: string }) => error.field);
  if (typeof field === 'string') expect(fields).toContain(field);
  else expect(fields.some((name) => field.test(name))).toBe(true);
}

/**
 * A request on a connection of its own: building a large body can keep this process busy past the
 * server's keep-alive time-out, and a pooled connection the server has just closed would then be
 * reset under the request.
 */
function onFreshConnection(method: string, path: string, body: unknown): Promise<ApiResponse> {
  const url = new URL(api.baseUrl);
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: url.hostname, port: url.port, method, path, agent: false, headers: { ...api.authHeaders(), 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } },
      (incoming) => {
        let answer = '';
        incoming.setEncoding('utf8');
        incoming.on('data', (chunk: string) => (answer += chunk));
        incoming.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === 'string') headers.set(name, value);
          resolve({ status: incoming.statusCode ?? 0, headers, body: answer ? JSON.parse(answer) : null });
        });
        incoming.once('error', reject);
      },
    );
    outgoing.once('error', reject);
    outgoing.end(text);
  });
}

/** `{...body, [field]: raw}` with `raw` spliced in as JSON text, so that it can be deeper than JSON.stringify allows. */
function withRaw(body: Record<string, unknown>, field: string, raw: string): string {
  return JSON.stringify({ ...body, [field]: '@@RAW@@' }).replace('"@@RAW@@"', raw);
}

describe('hostile input: every route answers a 4xx problem naming the field, and nothing is written', () => {
  let fleet: Fleet;
  const job = (overrides: Record<string, unknown> = {}) => ({
    displayName: 'Hostile',
    deviceSet: fleet.deviceSet,
    operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
    ...overrides,
  });
  const device = (overrides: Record<string, unknown> = {}) => ({ displayName: 'M', template: fleet.template, ...overrides });
  const template = (overrides: Record<string, unknown> = {}) => ({ displayName: 'T', capabilities: [{ name: 'fanSpeed', kind: 'setting', schema: 'number' }], ...overrides });
  const deviceSet = (overrides: Record<string, unknown> = {}) => ({
    displayName: 'S',
    conditions: [{ field: 'template', operator: 'eq', value: fleet.template }],
    ...overrides,
  });

  beforeAll(async () => {
    fleet = await createFleet(api, hub, { label: 'hostile', count: 2 });
  });

  describe('bodies nested 10,000 levels deep', () => {
    it.each([
      ['a job displayName', 'jobs', () => withRaw(job(), 'displayName', arrays(DEEP)), 'displayName[0][0]'],
      ['a job operation value', 'jobs', () => withRaw(job(), 'operations', `[{"type":"command","name":"reboot","value":${objects(DEEP)}}]`), 'operations[0].value'],
      ['a job rollout', 'jobs', () => withRaw(job(), 'rollout', objects(DEEP)), 'rollout.a.a'],
      ['a job device list', 'jobs', () => withRaw(job(), 'devices', arrays(DEEP)), 'devices[0][0]'],
      ['a template capability list', 'device-templates', () => withRaw(template(), 'capabilities', arrays(DEEP)), 'capabilities[0][0]'],
      ['a device tags', 'devices', () => withRaw(device(), 'tags', objects(DEEP)), 'tags.a.a'],
      ['a device template', 'devices', () => withRaw(device(), 'template', arrays(DEEP)), 'template[0][0]'],
      ['a set condition value', 'device-sets', () => withRaw(deviceSet(), 'conditions', `[{"field":"tags.a","operator":"eq","value":${objects(DEEP)}}]`), 'conditions[0].value'],
    ])('in %s', async (_label, collection, body, field) => {
      const id = uniqueId('deep');
      expectRefusal(await api.request('PUT', `/api/${collection}/${id}`, undefined, body()), [400], field);
      expect((await api.get(`/api/${collection}/${id}`)).status).toBe(404);
    });

    it('in a device batch', async () => {
      const id = uniqueId('deep');
      const body = `{"devices":[{"id":"${id}","displayName":"M","template":"${fleet.template}","tags":${objects(DEEP)}}]}`;
      expectRefusal(await api.request('POST', '/api/devices/batch', undefined, body), [400], 'devices[0].tags');
      expect((await api.get(`/api/devices/${id}`)).status).toBe(404);
    });
  });

  describe('text PostgreSQL or JSON cannot hold', () => {
    it.each([
      ['U+0000 in a job displayName', { displayName: 'a\u0000b' }, 'displayName'],
      ['a lone surrogate in a job description', { description: 'x\ud800y' }, 'description'],
      ['U+0000 in an operation name', { operations: [{ type: 'setting', name: 'fan\u0000', value: 5 }] }, 'operations[0].name'],
      ['U+0000 in an operation value', { operations: [{ type: 'command', name: 'reboot', value: { note: 'a\u0000' } }] }, 'operations[0].value'],
    ])('%s', async (_label, overrides, field) => {
      const id = uniqueId('nul');
      expectRefusal(await api.put(`/api/jobs/${id}`, job(overrides)), [400, 422], field);
      expect((await api.get(`/api/jobs/${id}`)).status).toBe(404);
    });

    it.each([
      ['U+0000 in a device displayName', 'devices', () => device({ displayName: 'a\u0000' }), 'displayName'],
      ['a lone surrogate in device tags', 'devices', () => device({ tags: { city: '\udc00' } }), 'tags'],
      ['U+0000 in a template displayName', 'device-templates', () => template({ displayName: '\u0000' }), 'displayName'],
      ['U+0000 in a set displayName', 'device-sets', () => deviceSet({ displayName: 'S\u0000' }), 'displayName'],
    ])('%s', async (_label, collection, body, field) => {
      const id = uniqueId('nul');
      expectRefusal(await api.put(`/api/${collection}/${id}`, body()), [400], field);
      expect((await api.get(`/api/${collection}/${id}`)).status).toBe(404);
    });
  });

  describe('cursors and query parameters', () => {
    const nulCursor = cursorOf('["a\\u0000b"]');
    it.each([
      ['/api/devices', nulCursor],
      ['/api/device-templates', nulCursor],
      ['/api/device-sets', nulCursor],
      ['/api/jobs', cursorOf('[0,"2026-01-01T00:00:00.000Z","a\\u0000b"]')],
      ['/api/jobs', cursorOf('[0,"+275760-09-13T00:00:00.001Z","a"]')],
      ['/api/jobs/no-such-job/devices', nulCursor],
      ['/api/jobs/no-such-job/devices', cursorOf('["\\ud800"]')],
    ])('%s refuses the cursor %s', async (path, cursor) => {
      expectRefusal(await api.get(`${path}?cursor=${cursor}`), [400], 'cursor');
    });

    it('a set members list refuses a cursor holding U+0000', async () => {
      expectRefusal(await api.get(`/api/device-sets/${fleet.deviceSet}/devices?cursor=${nulCursor}`), [400], 'cursor');
    });

    it('a job devices search for U+0000', async () => {
      expectRefusal(await api.get('/api/jobs/no-such-job/devices?search=%00'), [400], 'search');
    });
  });

  describe('sizes', () => {
    it('a 2 MB operation value', async () => {
      const id = uniqueId('big');
      const response = await onFreshConnection('PUT', `/api/jobs/${id}`, job({ operations: [{ type: 'command', name: 'reboot', value: { blob: 'x'.repeat(2_000_000) } }] }));
      expectRefusal(response, [400, 413], 'operations[0].value');
      expect((await api.get(`/api/jobs/${id}`)).status).toBe(404);
    });

    it('a command value with 100,000 keys', async () => {
      const id = uniqueId('keys');
      const value = Object.fromEntries(Array.from({ length: 100_000 }, (_, index) => [`k${index}`, 1]));
      expectRefusal(await onFreshConnection('PUT', `/api/jobs/${id}`, job({ operations: [{ type: 'command', name: 'reboot', value }] })), [400, 413], 'operations[0].value');
      expect((await api.get(`/api/jobs/${id}`)).status).toBe(404);
    });

    it('a job naming 100,000 devices', async () => {
      const id = uniqueId('ids');
      const devices = Array.from({ length: 100_000 }, (_, index) => `${id}-d${index}`);
      expectRefusal(await onFreshConnection('PUT', `/api/jobs/${id}`, job({ devices })), [400, 413], 'devices');
      expect((await api.get(`/api/jobs/${id}`)).status).toBe(404);
    });

    it('a 14 MB job', async () => {
      const id = uniqueId('huge');
      expectRefusal(await onFreshConnection('PUT', `/api/jobs/${id}`, job({ description: 'x'.repeat(14_000_000) })), [413], 'body');
      expect((await api.get(`/api/jobs/${id}`)).status).toBe(404);
    });

    it('a batch of 100,000 empty objects gets a short answer naming devices', async () => {
      const response = await onFreshConnection('POST', '/api/devices/batch', { devices: Array.from({ length: 100_000 }, () => ({})) });
      expectRefusal(response, [400, 413], 'devices');
      expect(JSON.stringify(response.body).length).toBeLessThan(4096);
    });

    it('a batch of 10,000 bad devices lists the first 20 errors and counts them all', async () => {
      const id = uniqueId('many');
      const devices = Array.from({ length: 10_000 }, (_, index) => ({ id: `${id}-${index}`, displayName: 42, template: fleet.template }));
      const response = await onFreshConnection('POST', '/api/devices/batch', { devices });
      expectRefusal(response, [400], 'devices[0].displayName');
      expect(response.body.errors).toHaveLength(20);
      expect(response.body.errorCount).toBeGreaterThanOrEqual(10_000);
      expect((await api.get(`/api/devices/${id}-0`)).status).toBe(404);
    });
  });

  describe('member names the framework would drop', () => {
    it.each([
      ['a job', 'jobs', () => JSON.stringify(job()).replace('{', '{"__proto__":{"admin":true},'), '__proto__'],
      ['a job operation', 'jobs', () => JSON.stringify(job()).replace('{"type"', '{"__proto__":{},"type"'), 'operations[0].__proto__'],
      ['a job rollout', 'jobs', () => withRaw(job(), 'rollout', '{"__proto__":{"batches":{"size":1}}}'), 'rollout.__proto__'],
      ['a device', 'devices', () => JSON.stringify(device()).replace('{', '{"constructor":{"x":1},'), 'constructor'],
      ['device tags', 'devices', () => withRaw(device(), 'tags', '{"prototype":1}'), 'tags.prototype'],
      ['a template', 'device-templates', () => JSON.stringify(template()).replace('{', '{"__proto__":[],'), '__proto__'],
      ['a set', 'device-sets', () => JSON.stringify(deviceSet()).replace('{', '{"__proto__":1,'), '__proto__'],
    ])('in %s', async (_label, collection, body, field) => {
      const id = uniqueId('proto');
      expectRefusal(await api.request('PUT', `/api/${collection}/${id}`, undefined, body()), [400], field);
      expect((await api.get(`/api/${collection}/${id}`)).status).toBe(404);
    });

    it('in a batch device', async () => {
      const id = uniqueId('proto');
      const body = `{"devices":[{"__proto__":{},"id":"${id}","displayName":"M","template":"${fleet.template}"}]}`;
      expectRefusal(await api.request('POST', '/api/devices/batch', undefined, body), [400], 'devices[0].__proto__');
      expect((await api.get(`/api/devices/${id}`)).status).toBe(404);
    });
  });

  it('a compressed body that does not inflate', async () => {
    const id = uniqueId('gzip');
    const response = await fetch(`${api.baseUrl}/api/jobs/${id}`, {
      method: 'PUT',
      headers: { ...api.authHeaders(), 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: JSON.stringify(job()),
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    await api.conforms('PUT', `/api/jobs/${id}`, response, text);
    expect((JSON.parse(text) as { errors: { field: string }[] }).errors.map((error) => error.field)).toEqual(['body']);
    expect((await api.get(`/api/jobs/${id}`)).status).toBe(404);
  });

  it('a client that stops half-way through its headers is answered 408 and cut off', async () => {
    const { hostname, port } = new URL(api.baseUrl);
    const received = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => socket.write('PUT /api/jobs/slow HTTP/1.1\r\nHost: x\r\nContent-'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('error', reject);
      socket.on('close', () => resolve(text));
    });
    expect(received).toMatch(/^HTTP\/1\.1 408/);
  }, 60_000);
});
