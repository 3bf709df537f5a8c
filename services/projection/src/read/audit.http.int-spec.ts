import { Actor, EventEnvelope } from '@fleetjobs/contracts';
import fc from 'fast-check';
import { AuditEntriesHandler } from '../audit/audit-entries.handler';
import { aDeviceDeleted, aDeviceRegistered, aJobCreated, aJobStarted, aJobStopped } from '../testing/job-event.builders';
import { ProjectionTestApp, startProjectionApp } from '../testing/projection-test-app';
import { createProjectionTestDb, ProjectionTestDb } from '../testing/projection-test-db';

const ada: Actor = { id: 'user:ada', name: 'Ada', role: 'operator', address: '10.0.0.7' };
const ci: Actor = { id: 'token:ci', name: 'ci', role: 'builder' };
const at = (minute: number) => `2026-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
const by = <E extends EventEnvelope>(event: E, actor: Actor, minute: number): E => ({ ...event, actor, time: at(minute) });

interface Entry {
  eventId: string;
  time: string;
  actor: Actor;
  action: string;
  subject: string;
  summary: Record<string, unknown>;
}

describe('GET /api/audit', () => {
  let db: ProjectionTestDb;
  let service: ProjectionTestApp;
  // Two entries share 10:03, so paging must order by event id within one instant.
  const events = [
    by(aJobCreated('job-a', { displayName: 'Fan up', devices: ['vm-1'] }), ada, 1),
    by(aJobStopped('job-a'), ci, 2),
    by(aDeviceRegistered('vm-1', at(3)), ci, 3),
    by(aDeviceRegistered('vm-2', at(3)), ci, 3),
    by(aJobCreated('job-b'), ci, 4),
    by(aDeviceDeleted('vm-1', at(5)), ada, 5),
  ];
  const newestFirst = [...events].sort((x, y) => (x.time === y.time ? (x.id < y.id ? 1 : -1) : x.time < y.time ? 1 : -1));

  const get = async (path: string) => {
    const response = await fetch(`${service.baseUrl}${path}`);
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type'), body: text ? JSON.parse(text) : null };
  };

  /** Every entry the query lists, page by page. */
  async function all(query: string, limit: number): Promise<Entry[]> {
    const entries: Entry[] = [];
    let cursor: string | null = null;
    do {
      const { status, body } = await get(`/api/audit?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(status).toBe(200);
      expect(body.value.length).toBeLessThanOrEqual(limit);
      entries.push(...body.value);
      cursor = body.nextCursor;
    } while (cursor !== null && entries.length <= events.length);
    return entries;
  }

  beforeAll(async () => {
    db = await createProjectionTestDb();
    service = await startProjectionApp(db.dataSource);
    // Events without actor or that record no command are never listed.
    await service.app.get(AuditEntriesHandler).apply([...events, aJobStarted('job-a', 1), aJobCreated('quiet')]);
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('lists every recorded command newest first, with who, when, what and a summary', async () => {
    const { status, body } = await get('/api/audit');
    expect(status).toBe(200);
    expect(body.nextCursor).toBeNull();
    expect(body.value.map((e: Entry) => e.eventId)).toEqual(newestFirst.map((e) => e.id));
    expect(body.value.at(-1)).toEqual({
      eventId: events[0].id,
      time: at(1),
      actor: ada,
      action: 'JobCreated',
      subject: 'job-a',
      summary: { displayName: 'Fan up', deviceSet: 'seattle-vms', deviceCount: 1, operationCount: 1, operations: [{ type: 'setting', name: 'fanSpeed' }] },
    });
  });

  it('pages with cursors through the same entries in the same order, at any page size', async () => {
    for (const limit of [1, 2, 4]) {
      expect((await all('', limit)).map((e) => e.eventId)).toEqual(newestFirst.map((e) => e.id));
    }
  });

  it.each<[string, (e: EventEnvelope) => boolean]>([
    ['actor=token%3Aci', (e) => e.actor?.id === 'token:ci'],
    ['action=DeviceRegistered', (e) => e.type === 'DeviceRegistered'],
    ['subject=vm-1', (e) => e.subject === 'vm-1'],
    [`from=${encodeURIComponent(at(3))}&to=${encodeURIComponent(at(5))}`, (e) => e.time >= at(3) && e.time < at(5)],
    ['from=2026-03-01T11:02%2B01:00', (e) => e.time >= at(2)],
    ['actor=user%3Aada&subject=job-a', (e) => e.actor?.id === 'user:ada' && e.subject === 'job-a'],
    ['actor=user%3Anobody', () => false],
    ['to=2026-03-01', () => false],
  ])('filters by %s, paging included', async (query, keep) => {
    expect((await all(query, 2)).map((e) => e.eventId)).toEqual(newestFirst.filter(keep).map((e) => e.id));
  });

  it('treats empty parameters as absent', async () => {
    expect((await all('actor=&action=&subject=&from=&to=', 10)).length).toBe(events.length);
  });

  it.each([
    ['action=JobStarted', 'action'],
    ['action=Nope&action=JobCreated', 'action'],
    ['actor=a%00b', 'actor'],
    ['actor=a&actor=b', 'actor'],
    [`actor=${'a'.repeat(301)}`, 'actor'],
    ['subject=vm%00', 'subject'],
    [`subject=${'s'.repeat(129)}`, 'subject'],
    ['from=yesterday', 'from'],
    ['from=2026-13-01', 'from'],
    ['from=2026-03-01T10:00:00', 'from'],
    ['to=%2B275760-09-13T00:00:00Z', 'to'],
    ['to=2026-W09', 'to'],
    ['from=0000-01-01', 'from'],
    ['from=0001-01-01T00:00%2B01:00', 'from'],
    [`cursor=${Buffer.from(JSON.stringify(['0000-06-01T00:00:00.000Z', 'x'])).toString('base64url')}`, 'cursor'],
    [`from=${encodeURIComponent(at(5))}&to=${encodeURIComponent(at(5))}`, 'to'],
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['cursor=garbage', 'cursor'],
    [`cursor=${Buffer.from(JSON.stringify(['not a time', 'x'])).toString('base64url')}`, 'cursor'],
    [`cursor=${Buffer.from(JSON.stringify(['+275760-09-13T00:00:00.000Z', 'x'])).toString('base64url')}`, 'cursor'],
    [`cursor=${Buffer.from(JSON.stringify([at(3), 1])).toString('base64url')}`, 'cursor'],
    [`cursor=${Buffer.from(JSON.stringify([at(3)])).toString('base64url')}`, 'cursor'],
    ['status=running', 'status'],
  ])('answers 400 naming the field for %s', async (query, field) => {
    const { status, type, body } = await get(`/api/audit?${query}`);
    expect({ query, status }).toEqual({ query, status: 400 });
    expect(type).toContain('application/problem+json');
    expect([...new Set(body.errors.map((error: { field: string }) => error.field))]).toEqual([field]);
  });

  it('answers every hostile query with 200 or 400, never 5xx', async () => {
    const encode = (text: string) => [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
    const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null').toString('base64url');
    const instant = fc.oneof(
      fc.date({ min: new Date(-70_000_000_000_000), max: new Date(8_000_000_000_000_000) }).map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())),
      fc.constantFrom('0000-01-01', '0001-01-01T00:00+01:00', '9999-12-31T23:59-05:00', '2026-02-30', '2026-03-01T24:00Z', '+275760-09-13T00:00:00Z'),
    );
    const value = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }).map(encode),
      instant.map(encodeURIComponent),
      fc.tuple(instant, fc.string({ maxLength: 10 })).map((position) => cursorOf(position)),
      fc.jsonValue().map(cursorOf),
      fc.constantFrom('', '%00', '%ED%A0%80', 'x'.repeat(400), '0', '-1', '1e309', 'JobCreated', 'user%3Aada'),
    );
    const name = fc.constantFrom('actor', 'action', 'subject', 'from', 'to', 'limit', 'cursor', 'from[a]', 'actor[]', '__proto__');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(name, value), { minLength: 1, maxLength: 5 }), async (query) => {
        const { status } = await get(`/api/audit?${query.map(([n, v]) => `${n}=${v}`).join('&')}`);
        return status === 200 || status === 400;
      }),
      { numRuns: 300 },
    );
  });
});
