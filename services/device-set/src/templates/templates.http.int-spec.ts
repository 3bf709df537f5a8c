import { DeviceSetTestApp, startDeviceSetTestApp } from '../testing/device-set-test-app';

const vendingMachine = {
  displayName: 'Refrigerated vending machine',
  capabilities: [
    { name: 'fanSpeed', kind: 'setting', schema: 'number' },
    { name: 'location', kind: 'property', schema: 'string' },
    { name: 'reboot', kind: 'command', schema: 'object' },
  ],
};

describe('device templates over HTTP', () => {
  let t: DeviceSetTestApp;

  beforeAll(async () => {
    t = await startDeviceSetTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates with 201, replaces with 200, reads back and announces each save', async () => {
    const created = await t.http('PUT', '/api/device-templates/vending-machine', vendingMachine);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: 'vending-machine', ...vendingMachine });

    const replaced = await t.http('PUT', '/api/device-templates/vending-machine', { ...vendingMachine, displayName: 'VM v2' });
    expect(replaced.status).toBe(200);
    const read = await t.http('GET', '/api/device-templates/vending-machine');
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ id: 'vending-machine', ...vendingMachine, displayName: 'VM v2' });

    await t.settled();
    const saved = t.events.ofType('DeviceTemplateSaved', 'vending-machine');
    expect(saved.map((event) => event.data.displayName)).toEqual(['Refrigerated vending machine', 'VM v2']);
    expect(saved[1].data.capabilities).toEqual(vendingMachine.capabilities);
  });

  it('answers 404 problems for unknown templates', async () => {
    for (const method of ['GET', 'DELETE']) {
      const answer = await t.http(method, '/api/device-templates/nope');
      expect(answer.status).toBe(404);
      expect(answer.contentType).toMatch(/^application\/problem\+json/);
      expect(answer.body.detail).toContain('"nope"');
    }
  });

  it('names every offending field of a bad body', async () => {
    const answer = await t.http('PUT', '/api/device-templates/bad', {
      displayName: 7,
      capabilities: [
        { name: 'a', kind: 'telemetry', schema: 'number' },
        { name: 'b', kind: 'setting', schema: 'date' },
        { name: 'c', kind: 'setting', schema: 'number', unit: 'rpm' },
      ],
      extra: true,
    });
    expect(answer.status).toBe(400);
    const fields = answer.body.errors.map((error: { field: string }) => error.field);
    expect(fields).toEqual(
      expect.arrayContaining(['displayName', 'capabilities[0].kind', 'capabilities[1].schema', 'capabilities[2].unit', 'extra']),
    );
    expect((await t.http('GET', '/api/device-templates/bad')).status).toBe(404);
  });

  it('refuses duplicate and over-long capability names', async () => {
    const answer = await t.http('PUT', '/api/device-templates/dupes', {
      displayName: 'Dupes',
      capabilities: [
        { name: 'fan', kind: 'setting', schema: 'number' },
        { name: 'fan', kind: 'property', schema: 'string' },
        { name: 'x'.repeat(129), kind: 'property', schema: 'string' },
        { name: '', kind: 'property', schema: 'string' },
      ],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((error: { field: string }) => error.field)).toEqual([
      'capabilities[1].name',
      'capabilities[2].name',
      'capabilities[3].name',
    ]);
    expect((await t.http('GET', '/api/device-templates/dupes')).status).toBe(404);
  });

  it('answers 400 for malformed JSON, a wrong body type, a missing body and a bad id', async () => {
    const malformed = await t.http('PUT', '/api/device-templates/x', undefined, '{"displayName": ');
    expect(malformed.status).toBe(400);
    expect(malformed.contentType).toMatch(/^application\/problem\+json/);
    expect((await t.http('PUT', '/api/device-templates/x', [vendingMachine])).status).toBe(400);
    expect((await t.http('PUT', '/api/device-templates/x')).status).toBe(400);
    expect((await t.http('PUT', '/api/device-templates/x', { ...vendingMachine, capabilities: 'all' })).status).toBe(400);
    const badId = await t.http('PUT', `/api/device-templates/${encodeURIComponent('white space')}`, vendingMachine);
    expect(badId.status).toBe(400);
    expect(badId.body.errors[0].field).toBe('id');
    expect((await t.http('GET', `/api/device-templates/${'x'.repeat(129)}`)).status).toBe(400);
  });

  it('refuses a display name PostgreSQL cannot store instead of failing', async () => {
    const answer = await t.http('PUT', '/api/device-templates/nul', { ...vendingMachine, displayName: 'a\u0000b' });
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].field).toBe('displayName');
  });

  it('lists templates by id, page by page', async () => {
    for (const id of ['list-c', 'list-a', 'list-b']) {
      expect((await t.http('PUT', `/api/device-templates/${id}`, { displayName: id, capabilities: [] })).status).toBe(201);
    }
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const answer: { status: number; body: { value: { id: string }[]; nextCursor: string | null } } = await t.http(
        'GET',
        `/api/device-templates?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(answer.status).toBe(200);
      ids.push(...answer.body.value.map((template) => template.id));
      cursor = answer.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toEqual(expect.arrayContaining(['list-a', 'list-b', 'list-c', 'vending-machine']));
    expect(pages).toBe(Math.ceil(ids.length / 2));
    expect((await t.http('GET', '/api/device-templates?limit=0')).status).toBe(400);
    expect((await t.http('GET', '/api/device-templates?cursor=garbage')).body.errors[0].field).toBe('cursor');
  });

  it('deletes a template in use: its sets turn broken and each is announced as broken', async () => {
    await t.http('PUT', '/api/device-templates/kiosk', { displayName: 'Kiosk', capabilities: [] });
    await t.http('PUT', '/api/devices/kiosk-1', { displayName: 'Kiosk 1', template: 'kiosk' });
    for (const id of ['kiosks-seattle', 'kiosks-all']) {
      const put = await t.http('PUT', `/api/device-sets/${id}`, {
        displayName: id,
        conditions: [{ field: 'template', operator: 'eq', value: 'kiosk' }],
      });
      expect(put.status).toBe(201);
    }
    await t.http('PUT', '/api/device-sets/by-tag', {
      displayName: 'by tag',
      conditions: [{ field: 'tags.city', operator: 'eq', value: 'Seattle' }],
    });

    expect((await t.http('DELETE', '/api/device-templates/kiosk')).status).toBe(204);
    expect((await t.http('GET', '/api/device-templates/kiosk')).status).toBe(404);

    const set = await t.http('GET', '/api/device-sets/kiosks-seattle');
    expect(set.body).toMatchObject({ broken: true, brokenReason: 'template "kiosk" no longer exists' });
    expect((await t.http('GET', '/api/device-sets/by-tag')).body).toMatchObject({ broken: false, brokenReason: null });
    const members = await t.http('GET', '/api/device-sets/kiosks-seattle/devices');
    expect(members.status).toBe(409);
    expect(members.body.detail).toContain('template "kiosk" no longer exists');
    expect((await t.http('GET', '/api/devices/kiosk-1')).body.template).toBe('kiosk');

    await t.settled();
    expect(t.events.ofType('DeviceTemplateDeleted', 'kiosk')).toHaveLength(1);
    const broken = t.events.ofType('DeviceSetBroken');
    expect(broken.map((event) => event.data).sort((a, b) => a.deviceSetId.localeCompare(b.deviceSetId))).toEqual([
      { deviceSetId: 'kiosks-all', reason: 'template "kiosk" no longer exists' },
      { deviceSetId: 'kiosks-seattle', reason: 'template "kiosk" no longer exists' },
    ]);

    // The set mends itself once the template exists again.
    await t.http('PUT', '/api/device-templates/kiosk', { displayName: 'Kiosk', capabilities: [] });
    expect((await t.http('GET', '/api/device-sets/kiosks-all')).body).toMatchObject({ broken: false, brokenReason: null });
  });
});
