import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { uniqueId } from '../support/fleetjobs.client';
import { createFleet, Fleet } from '../support/fleet.fixture';
import { systemUnderTest } from '../support/system-under-test';

const { api, hub, topology } = systemUnderTest();

afterAll(() => hub.close());

/** 1,000 in every test run; a longer search sets HOSTILE_FUZZ_RUNS (and HOSTILE_FUZZ_SEED to replay one). */
const RUNS = Number(process.env.HOSTILE_FUZZ_RUNS ?? 1000);
const SEED = process.env.HOSTILE_FUZZ_SEED === undefined ? undefined : Number(process.env.HOSTILE_FUZZ_SEED);

interface Route {
  method: string;
  path: string;
}

/** The public routes as the running system documents them in its OpenAPI document. */
async function documentedRoutes(): Promise<Route[]> {
  const document = await (await fetch(`${api.baseUrl}/api/openapi.yaml`)).text();
  const routes: Route[] = [];
  let path: string | null = null;
  for (const line of document.split('\n')) {
    const pathLine = /^ {2}(\/\S*):\s*$/.exec(line);
    if (pathLine) path = pathLine[1];
    else if (/^\S/.test(line)) path = null;
    const methodLine = /^ {4}(get|put|post|delete|patch):\s*$/.exec(line);
    if (path && methodLine) routes.push({ method: methodLine[1].toUpperCase(), path });
  }
  return routes;
}

/** Percent-encodes the UTF-8 of any string, unpaired surrogates included (encodeURIComponent throws on them). */
const encode = (text: string) => [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }).map((text) => `${text}\u0000`),
  fc.string({ maxLength: 20 }).map((text) => `${text}\ud800`),
  fc.string({ maxLength: 20 }).map((text) => `\udc00${text}`),
);
const hostileId = fc.oneof(
  hostileText.map(encode),
  fc.constantFrom('%2E', '%2E%2E', 'a%2Fb', '%00', 'x'.repeat(129), '%ED%A0%80', '%FF%FE', 'a%20b'),
);
const hostileCursor = fc.oneof(
  fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value) ?? 'null').toString('base64url')),
  hostileText.map((text) => Buffer.from(JSON.stringify([text])).toString('base64url')),
  hostileText.map((text) => Buffer.from(JSON.stringify([0, '+275760-09-13T00:00:00.001Z', text])).toString('base64url')),
  fc.string({ unit: 'binary', maxLength: 2000 }).map(encode),
);
const hostileQuery = fc.array(
  fc.tuple(
    fc.constantFrom('cursor', 'limit', 'status', 'search', 'template', '__proto__', 'constructor', 'other'),
    fc.oneof(hostileCursor, hostileText.map(encode), fc.constantFrom('0', '-1', '1e309', '1001', 'NaN', '', '%00', 'x'.repeat(5000))),
  ),
  { minLength: 1, maxLength: 4 },
);

// Every change breaks a rule wherever it lands: text PostgreSQL cannot hold, a member name that is
// never a field, nesting past the body limit, a string longer than any field's limit (64 KiB at most),
// an array longer than any array's limit (10,000 at most), a body not in the encoding it claims.

/** One change that makes any body bad: applied at the `target`-th place of the body (modulo the places it has). */
type Mutation =
  | { kind: 'text'; text: string; target: number }
  | { kind: 'reserved'; key: string; target: number }
  | { kind: 'deep'; depth: number; array: boolean; target: number }
  | { kind: 'huge'; bytes: number; target: number }
  | { kind: 'unknown'; key: string }
  | { kind: 'malformed'; cut: number }
  | { kind: 'charset' }
  | { kind: 'encoding'; name: string }
  | { kind: 'longArray'; count: number; target: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('longArray' as const), count: fc.integer({ min: 10_001, max: 20_000 }), target: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('encoding' as const), name: fc.constantFrom('gzip', 'deflate', 'br', 'x-unknown') }), weight: 1 },
  fc.record({ kind: fc.constant('text' as const), text: hostileText, target: fc.nat() }),
  fc.record({ kind: fc.constant('reserved' as const), key: fc.constantFrom('__proto__', 'constructor', 'prototype'), target: fc.nat() }),
  fc.record({ kind: fc.constant('deep' as const), depth: fc.integer({ min: 65, max: 12_000 }), array: fc.boolean(), target: fc.nat() }),
  fc.record({ kind: fc.constant('huge' as const), bytes: fc.integer({ min: 70_000, max: 150_000 }), target: fc.nat() }),
  fc.record({ kind: fc.constant('unknown' as const), key: fc.string({ minLength: 1, maxLength: 20 }).map((key) => `x-${key}`) }),
  fc.record({ kind: fc.constant('malformed' as const), cut: fc.nat() }),
  fc.constant({ kind: 'charset' as const }),
);
/** Mutations a route that reads no fields refuses all the same: they are refused before any field is read. */
const parserMutation = mutation.filter((m) => ['reserved', 'deep', 'malformed', 'charset', 'encoding'].includes(m.kind));

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const RAW = '"@@RAW@@"';

/** Every value of the tree with a way to replace it, every array and every object. */
function places(root: Json): { leaves: ((value: Json) => void)[]; arrays: Json[][]; objects: Record<string, Json>[] } {
  const leaves: ((value: Json) => void)[] = [];
  const arrays: Json[][] = [];
  const objects: Record<string, Json>[] = [];
  const visit = (value: Json, set: (next: Json) => void) => {
    if (Array.isArray(value)) {
      arrays.push(value);
      value.forEach((item, index) => visit(item, (next) => (value[index] = next)));
    } else if (value !== null && typeof value === 'object') {
      objects.push(value);
      for (const key of Object.keys(value)) visit(value[key], (next) => (value[key] = next));
    } else leaves.push(set);
  };
  visit(root, () => undefined);
  return { leaves, arrays, objects };
}

/** The body text and content type of `base` changed by `change`. */
function mutate(base: Json, change: Mutation): { text: string; contentType: string; encoding?: string } {
  const body = structuredClone(base);
  const { leaves, arrays, objects } = places(body);
  let raw: string | null = null;
  switch (change.kind) {
    case 'text':
      leaves[change.target % leaves.length](change.text);
      break;
    case 'reserved':
      (objects[change.target % objects.length] as Record<string, Json>)['@@KEY@@'] = 1;
      return { text: JSON.stringify(body).replace('"@@KEY@@"', JSON.stringify(change.key)), contentType: 'application/json' };
    case 'deep':
      leaves[change.target % leaves.length]('@@RAW@@');
      raw = change.array ? '['.repeat(change.depth) + ']'.repeat(change.depth) : '{"a":'.repeat(change.depth) + '1' + '}'.repeat(change.depth);
      break;
    case 'huge':
      leaves[change.target % leaves.length]('x'.repeat(change.bytes));
      break;
    case 'unknown':
      (body as Record<string, Json>)[change.key] = 1;
      break;
    case 'malformed': {
      const text = JSON.stringify(body);
      // A proper prefix of an object's JSON is never JSON.
      return { text: text.slice(0, 1 + (change.cut % (text.length - 1))), contentType: 'application/json' };
    }
    case 'charset':
      return { text: JSON.stringify(body), contentType: 'application/json; charset=utf-16le' };
    case 'encoding':
      return { text: JSON.stringify(body), contentType: 'application/json', encoding: change.name };
    case 'longArray': {
      // Copies of an element: too many for any list, and each a duplicate.
      const array = arrays[change.target % arrays.length] ?? [];
      const element = array[0] ?? 'x';
      array.splice(0, array.length, ...Array.from({ length: change.count }, () => structuredClone(element)));
      break;
    }
  }
  const text = JSON.stringify(body);
  return { text: raw === null ? text : text.replace(RAW, raw), contentType: 'application/json' };
}

describe('a generated run of bad requests across every route', () => {
  let fleet: Fleet;
  let routes: Route[];
  const written: string[] = [];

  beforeAll(async () => {
    fleet = await createFleet(api, hub, { label: 'fuzz', count: 2 });
    routes = await documentedRoutes();
  });

  /** A valid body for the route (before it is made bad) and the resource it would write, if any. */
  function validBody(route: Route, id: string): { body: Json; writes: string | null } | null {
    const capabilities = [{ name: 'fanSpeed', kind: 'setting', schema: 'number' }];
    const device = { displayName: 'M', template: fleet.template, tags: { city: 'Seattle', floor: [1, 2] } };
    const job = {
      displayName: 'Fuzz',
      description: 'generated',
      deviceSet: fleet.deviceSet,
      devices: fleet.deviceIds,
      operations: [{ type: 'command', name: 'reboot', value: { delay: 1, reason: 'fuzz' } }],
      rollout: { batches: { size: 1 }, rate: { perMinute: 60 } },
    };
    const key = `${route.method} ${route.path}`;
    if (key === 'PUT /api/device-templates/{id}') return { body: { displayName: 'T', capabilities }, writes: `/api/device-templates/${id}` };
    if (key === 'PUT /api/devices/{id}') return { body: device, writes: `/api/devices/${id}` };
    if (key === 'POST /api/devices/batch') return { body: { devices: [{ id, ...device }] }, writes: `/api/devices/${id}` };
    if (key === 'PUT /api/device-sets/{id}') {
      return { body: { displayName: 'S', conditions: [{ field: 'template', operator: 'eq', value: fleet.template }] }, writes: `/api/device-sets/${id}` };
    }
    if (key === 'PUT /api/jobs/{id}') return { body: job, writes: `/api/jobs/${id}` };
    if (key === 'POST /api/jobs') return { body: { ...job, displayName: id }, writes: null };
    return null;
  }

  it(`answers ${RUNS} of them with 4xx problems, never 5xx, and writes nothing`, async () => {
    const statuses = new Map<number, number>();
    const started = Date.now();
    const request = fc.record({
      route: fc.constantFrom(...routes),
      hostileId: fc.option(hostileId, { freq: 2 }),
      query: fc.option(hostileQuery, { freq: 2 }),
      change: mutation,
      parserChange: parserMutation,
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ route, hostileId: badId, query, change, parserChange }) => {
        const id = uniqueId('fz');
        const pathname = route.path.replace('{id}', badId ?? id);
        const path = pathname + (query ? `?${query.map(([name, value]) => `${name}=${value}`).join('&')}` : '');
        const valid = route.method === 'GET' || route.method === 'DELETE' ? null : validBody(route, id);
        let init: RequestInit = { method: route.method, headers: api.authHeaders(), signal: AbortSignal.timeout(20_000) };
        if (route.method !== 'GET' && route.method !== 'DELETE') {
          const { text, contentType, encoding } = valid ? mutate(valid.body, change) : mutate({ reason: 'fuzz' }, parserChange);
          init = { ...init, body: text, headers: { ...api.authHeaders(), 'content-type': contentType, ...(encoding ? { 'content-encoding': encoding } : {}) } };
          if (valid?.writes) written.push(valid.writes);
        }
        const response = await fetch(`${api.baseUrl}${path}`, init);
        const text = await response.text();
        // Every answer is one the document describes, unless an id such as `%2E%2E` made the URL name another path.
        if (new URL(`${api.baseUrl}${path}`).pathname === pathname) await api.conforms(route.method, path, response, text);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect(response.status).toBeLessThan(500);
        if (init.body !== undefined) expect(response.status).toBeGreaterThanOrEqual(400);
        if (response.status >= 400) expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
      }),
      { numRuns: RUNS, endOnFailure: true, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
    const fuzzMs = Date.now() - started;
    if (process.env.HOSTILE_FUZZ_REPORT) {
      writeFileSync(process.env.HOSTILE_FUZZ_REPORT, JSON.stringify({ topology, requests: RUNS, fuzzMs, statuses: Object.fromEntries(statuses) }, null, 2));
    }
    expect([...statuses.entries()].filter(([status]) => status >= 500)).toEqual([]);
    expect([...statuses.values()].reduce((sum, count) => sum + count, 0)).toBe(RUNS);
    expect((await api.get('/health/ready')).status).toBe(200);
    for (let start = 0; start < written.length; start += 20) {
      const answers = await Promise.all(written.slice(start, start + 20).map(async (path) => ({ path, status: (await api.get(path)).status })));
      expect(answers.filter((answer) => answer.status !== 404)).toEqual([]);
    }
  }, 240_000 + RUNS * 200);
});
