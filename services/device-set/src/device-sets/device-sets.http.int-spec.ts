import { DeviceSetTestApp, startDeviceSetTestApp } from '../testing/device-set-test-app';

const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((error) => error.field);

const seattleVms = {
  displayName: 'Seattle vending machines',
  conditions: [
    { field: 'template', operator: 'eq', value: 'vending-machine' },
    { field: 'tags.city', operator: 'eq', value: 'Seattle' },
  ],
};

describe('device sets over HTTP', () => {
  let t: DeviceSetTestApp;

  beforeAll(async () => {
    t = await startDeviceSetTestApp();
    await t.http('PUT', '/api/device-templates/vending-machine', { displayName: 'VM', capabilities: [] });
    await t.http('PUT', '/api/device-templates/kiosk', { displayName: 'Kiosk', capabilities: [] });
    const devices = Array.from({ length: 25 }, (_, i) => ({
      id: `vm-${String(i).padStart(3, '0')}`,
      displayName: `VM ${i}`,
      template: 'vending-machine',
      tags: { city: i < 23 ? 'Seattle' : 'Tacoma' },
    }));
    devices.push({ id: 'kiosk-1', displayName: 'Kiosk', template: 'kiosk', tags: { city: 'Seattle' } });
    expect((await t.http('POST', '/api/devices/batch', { devices })).status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates with 201, replaces with 200, reads back with its health and announces each save', async () => {
    const created = await t.http('PUT', '/api/device-sets/seattle-vms', seattleVms);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: 'seattle-vms', ...seattleVms, broken: false, brokenReason: null });
    const replaced = await t.http('PUT', '/api/device-sets/seattle-vms', { ...seattleVms, displayName: 'Seattle VMs' });
    expect(replaced.status).toBe(200);
    expect((await t.http('GET', '/api/device-sets/seattle-vms')).body).toEqual({
      id: 'seattle-vms',
      ...seattleVms,
      displayName: 'Seattle VMs',
      broken: false,
      brokenReason: null,
    });
    await t.settled();
    const saved = t.events.ofType('DeviceSetSaved', 'seattle-vms');
    expect(saved.map((event) => event.data.displayName)).toEqual(['Seattle vending machines', 'Seattle VMs']);
    expect(saved[0].data.conditions).toEqual(seattleVms.conditions);
  });

  it('lists current members page by page, in id order', async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const answer: { status: number; body: { value: { id: string; tags: object }[]; nextCursor: string | null } } = await t.http(
        'GET',
        `/api/device-sets/seattle-vms/devices?limit=10${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(answer.status).toBe(200);
      ids.push(...answer.body.value.map((device) => device.id));
      cursor = answer.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(ids).toEqual(Array.from({ length: 23 }, (_, i) => `vm-${String(i).padStart(3, '0')}`));
    const first = await t.http('GET', '/api/device-sets/seattle-vms/devices?limit=1');
    expect(first.body.value).toEqual([{ id: 'vm-000', displayName: 'VM 0', template: 'vending-machine', tags: { city: 'Seattle' } }]);
  });

  it('evaluates membership when asked, so it follows device changes', async () => {
    await t.http('PUT', '/api/devices/vm-000', { displayName: 'VM 0', template: 'vending-machine', tags: { city: 'Tacoma' } });
    await t.http('DELETE', '/api/devices/vm-001');
    await t.http('PUT', '/api/devices/vm-024', { displayName: 'VM 24', template: 'vending-machine', tags: { city: 'Seattle' } });
    const answer = await t.http('GET', '/api/device-sets/seattle-vms/devices?limit=1000');
    const ids = answer.body.value.map((device: { id: string }) => device.id);
    expect(ids).toHaveLength(22);
    expect(ids).not.toContain('vm-000');
    expect(ids).not.toContain('vm-001');
    expect(ids).toContain('vm-024');
    expect(answer.body.nextCursor).toBeNull();
  });

  it('refuses a set fixing a template that does not exist with 422 naming the condition', async () => {
    const answer = await t.http('PUT', '/api/device-sets/toasters', {
      displayName: 'Toasters',
      conditions: [
        { field: 'tags.city', operator: 'eq', value: 'Seattle' },
        { field: 'template', operator: 'eq', value: 'toaster' },
      ],
    });
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toEqual([{ field: 'conditions[1].value', message: 'template "toaster" does not exist' }]);
    expect((await t.http('GET', '/api/device-sets/toasters')).status).toBe(404);
  });

  it('names bad conditions by path', async () => {
    const answer = await t.http('PUT', '/api/device-sets/bad', {
      displayName: 'Bad',
      conditions: [
        { field: 'colour', operator: 'eq', value: 'red' },
        { field: 'tags.floor', operator: 'gt', value: 'three' },
        { field: 'tags.city', operator: 'in', value: 'Seattle' },
        { field: 'displayName', operator: 'lt', value: 3 },
        { field: 'tags.city', operator: 'like', value: 'S%' },
      ],
    });
    expect(answer.status).toBe(400);
    expect(fieldsOf(answer.body)).toEqual([
      'conditions[0].field',
      'conditions[1].value',
      'conditions[2].value',
      'conditions[3].operator',
      'conditions[4].operator',
    ]);
    const shapes = await t.http('PUT', '/api/device-sets/bad', {
      displayName: 'Bad',
      conditions: [{ field: 'id', operator: 'eq', value: 'x', extra: true }, { field: 3, operator: 'eq', value: 'x' }],
    });
    expect(shapes.status).toBe(400);
    expect(fieldsOf(shapes.body)).toEqual(expect.arrayContaining(['conditions[0].extra', 'conditions[1].field']));
    expect(fieldsOf((await t.http('PUT', '/api/device-sets/bad', { displayName: 'Bad', conditions: [] })).body)).toEqual(['conditions']);
    const many = Array.from({ length: 21 }, () => ({ field: 'id', operator: 'neq', value: 'x' }));
    expect(fieldsOf((await t.http('PUT', '/api/device-sets/bad', { displayName: 'Bad', conditions: many })).body)).toEqual(['conditions']);
    expect((await t.http('PUT', '/api/device-sets/bad', { displayName: 'Bad' })).status).toBe(400);
    expect((await t.http('PUT', '/api/device-sets/bad', undefined, '{"conditions": [}')).status).toBe(400);
    expect((await t.http('GET', '/api/device-sets/bad')).status).toBe(404);
  });

  it('keeps a set without a template condition, which never breaks', async () => {
    const answer = await t.http('PUT', '/api/device-sets/everything-in-seattle', {
      displayName: 'Everything in Seattle',
      conditions: [{ field: 'tags.city', operator: 'eq', value: 'Seattle' }],
    });
    expect(answer.status).toBe(201);
    const members = await t.http('GET', '/api/device-sets/everything-in-seattle/devices?limit=1000');
    expect(members.body.value.map((device: { id: string }) => device.id)).toContain('kiosk-1');
  });

  it('answers 409 with the reason for the members of a broken set, and 404 for an unknown set', async () => {
    await t.http('PUT', '/api/device-templates/short-lived', { displayName: 'x', capabilities: [] });
    await t.http('PUT', '/api/device-sets/short', { displayName: 'Short', conditions: [{ field: 'template', operator: 'eq', value: 'short-lived' }] });
    await t.http('DELETE', '/api/device-templates/short-lived');
    const members = await t.http('GET', '/api/device-sets/short/devices');
    expect(members.status).toBe(409);
    expect(members.contentType).toMatch(/^application\/problem\+json/);
    expect(members.body.detail).toBe('Device set "short" is broken: template "short-lived" no longer exists.');
    expect((await t.http('GET', '/api/device-sets/nope/devices')).status).toBe(404);
    expect((await t.http('GET', '/api/device-sets/seattle-vms/devices?limit=0')).status).toBe(400);
    expect((await t.http('GET', '/api/device-sets/seattle-vms/devices?cursor=xyz')).status).toBe(400);
  });

  it('lists sets page by page with their health', async () => {
    const sets: { id: string; broken: boolean; brokenReason: string | null }[] = [];
    let cursor: string | null = null;
    do {
      const answer: { body: { value: typeof sets; nextCursor: string | null } } = await t.http(
        'GET',
        `/api/device-sets?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      sets.push(...answer.body.value);
      cursor = answer.body.nextCursor;
    } while (cursor);
    expect(sets.map((set) => [set.id, set.broken, set.brokenReason])).toEqual([
      ['everything-in-seattle', false, null],
      ['seattle-vms', false, null],
      ['short', true, 'template "short-lived" no longer exists'],
    ]);
  });

  it('deletes with 204 and announces it; a second delete is 404', async () => {
    expect((await t.http('DELETE', '/api/device-sets/everything-in-seattle')).status).toBe(204);
    expect((await t.http('GET', '/api/device-sets/everything-in-seattle')).status).toBe(404);
    expect((await t.http('DELETE', '/api/device-sets/everything-in-seattle')).status).toBe(404);
    await t.settled();
    expect(t.events.ofType('DeviceSetDeleted', 'everything-in-seattle').map((event) => event.data)).toEqual([
      { deviceSetId: 'everything-in-seattle' },
    ]);
  });
});
