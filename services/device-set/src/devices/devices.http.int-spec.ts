import { DeviceSetTestApp, startDeviceSetTestApp } from '../testing/device-set-test-app';

const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((error) => error.field);

describe('devices over HTTP', () => {
  let t: DeviceSetTestApp;

  const deviceCount = async (): Promise<number> =>
    (await t.dataSource.query('SELECT count(*)::int AS n FROM device_set.devices'))[0].n;

  beforeAll(async () => {
    t = await startDeviceSetTestApp();
    for (const id of ['vending-machine', 'kiosk']) {
      await t.http('PUT', `/api/device-templates/${id}`, { displayName: id, capabilities: [] });
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('one device', () => {
    it('creates with 201, replaces with 200, reads back and announces each registration', async () => {
      const body = { displayName: 'Vending machine 1', template: 'vending-machine', tags: { city: 'Seattle', floor: 2 } };
      const created = await t.http('PUT', '/api/devices/vm-001', body);
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ id: 'vm-001', ...body });
      const replaced = await t.http('PUT', '/api/devices/vm-001', { ...body, tags: { city: 'Tacoma' } });
      expect(replaced.status).toBe(200);
      expect((await t.http('GET', '/api/devices/vm-001')).body).toEqual({ id: 'vm-001', ...body, tags: { city: 'Tacoma' } });

      await t.settled();
      const registered = t.events.ofType('DeviceRegistered', 'vm-001');
      expect(registered.map((event) => event.data)).toEqual([
        { deviceId: 'vm-001', displayName: 'Vending machine 1', template: 'vending-machine', tags: body.tags, origin: 'api' },
        { deviceId: 'vm-001', displayName: 'Vending machine 1', template: 'vending-machine', tags: { city: 'Tacoma' }, origin: 'api' },
      ]);
    });

    it('gives a device without tags empty tags', async () => {
      const answer = await t.http('PUT', '/api/devices/no-tags', { displayName: 'No tags', template: 'kiosk' });
      expect(answer.status).toBe(201);
      expect((await t.http('GET', '/api/devices/no-tags')).body.tags).toEqual({});
    });

    it('refuses a template that does not exist with 422 naming template, and writes nothing', async () => {
      const answer = await t.http('PUT', '/api/devices/ghost', { displayName: 'Ghost', template: 'toaster' });
      expect(answer.status).toBe(422);
      expect(answer.body.errors).toEqual([{ field: 'template', message: 'template "toaster" does not exist' }]);
      expect((await t.http('GET', '/api/devices/ghost')).status).toBe(404);
    });

    it('names every offending field of a bad body', async () => {
      const answer = await t.http('PUT', '/api/devices/bad', { displayName: '', template: 'not an id', tags: [1], colour: 'red' });
      expect(answer.status).toBe(400);
      expect(fieldsOf(answer.body)).toEqual(expect.arrayContaining(['displayName', 'template', 'tags', 'colour']));
      expect((await t.http('PUT', '/api/devices/bad', { displayName: 'x', template: 'kiosk', tags: 'city=Seattle' })).status).toBe(400);
      expect((await t.http('PUT', '/api/devices/bad', { template: 'kiosk' })).status).toBe(400);
      expect((await t.http('PUT', '/api/devices/bad', undefined, '{"displayName": "x", template}')).status).toBe(400);
      expect((await t.http('GET', '/api/devices/bad')).status).toBe(404);
    });

    it('refuses tags over 4 KiB, tags no IoT Hub twin holds, reserved tag names and text PostgreSQL cannot store', async () => {
      const big = await t.http('PUT', '/api/devices/big', { displayName: 'Big', template: 'kiosk', tags: { blob: 'x'.repeat(12 * 1024) } });
      expect(big.status).toBe(400);
      expect(fieldsOf(big.body)).toEqual(['tags']);
      const dotted = await t.http('PUT', '/api/devices/big', { displayName: 'Big', template: 'kiosk', tags: { site: { 'serial.no': 'A1' } } });
      expect(dotted.status).toBe(400);
      expect(fieldsOf(dotted.body)).toEqual(['tags.site.serial.no']);
      const reserved = await t.http('PUT', '/api/devices/big', { displayName: 'Big', template: 'kiosk', tags: { fleetjobs: 1 } });
      expect(fieldsOf(reserved.body)).toEqual(['tags.fleetjobs']);
      const nul = await t.http('PUT', '/api/devices/big', { displayName: 'Big', template: 'kiosk', tags: { a: 'x\u0000' } });
      expect(nul.status).toBe(400);
      expect((await t.http('GET', '/api/devices/big')).status).toBe(404);
    });

    it('deletes with 204 and announces it; a second delete is 404', async () => {
      await t.http('PUT', '/api/devices/doomed', { displayName: 'Doomed', template: 'kiosk' });
      expect((await t.http('DELETE', '/api/devices/doomed')).status).toBe(204);
      expect((await t.http('GET', '/api/devices/doomed')).status).toBe(404);
      expect((await t.http('DELETE', '/api/devices/doomed')).status).toBe(404);
      await t.settled();
      const deleted = t.events.ofType('DeviceDeleted', 'doomed');
      expect(deleted).toHaveLength(1);
      expect(deleted[0].data.deviceId).toBe('doomed');
      expect(Number.isNaN(Date.parse(deleted[0].data.deletedAt))).toBe(false);
    });

    it('answers 400 naming id for a bad id', async () => {
      const answer = await t.http('PUT', `/api/devices/${encodeURIComponent('a/b')}`, { displayName: 'x', template: 'kiosk' });
      expect(answer.status).toBe(400);
      expect(fieldsOf(answer.body)).toEqual(['id']);
    });
  });

  describe('batch', () => {
    const batchOf = (count: number, prefix: string, template = 'vending-machine') =>
      Array.from({ length: count }, (_, i) => ({
        id: `${prefix}-${String(i).padStart(5, '0')}`,
        displayName: `${prefix} ${i}`,
        template,
        tags: { city: i % 2 ? 'Seattle' : 'Portland', n: i },
      }));

    it('creates and updates in one call and answers the counts', async () => {
      const first = await t.http('POST', '/api/devices/batch', { devices: batchOf(30, 'b1') });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ created: 30, updated: 0 });
      const second = await t.http('POST', '/api/devices/batch', { devices: [...batchOf(40, 'b1'), { id: 'b1-x', displayName: 'x', template: 'kiosk' }] });
      expect(second.body).toEqual({ created: 11, updated: 30 });
      expect((await t.http('GET', '/api/devices/b1-00039')).body).toEqual({
        id: 'b1-00039',
        displayName: 'b1 39',
        template: 'vending-machine',
        tags: { city: 'Seattle', n: 39 },
      });
      await t.settled();
      expect(t.events.ofType('DeviceRegistered').filter((event) => event.subject.startsWith('b1-'))).toHaveLength(71);
    });

    it('writes 10,000 devices in one call', async () => {
      const before = await deviceCount();
      const answer = await t.http('POST', '/api/devices/batch', { devices: batchOf(10_000, 'big') });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ created: 10_000, updated: 0 });
      expect(await deviceCount()).toBe(before + 10_000);
    });

    it('refuses 10,001 devices and writes none', async () => {
      const before = await deviceCount();
      const answer = await t.http('POST', '/api/devices/batch', { devices: batchOf(10_001, 'over') });
      expect(answer.status).toBe(400);
      expect(fieldsOf(answer.body)).toContain('devices');
      expect(await deviceCount()).toBe(before);
    });

    it('leaves nothing written when one device has a template that does not exist', async () => {
      const before = await deviceCount();
      const devices = batchOf(5, 'tpl');
      devices[3].template = 'toaster';
      const answer = await t.http('POST', '/api/devices/batch', { devices });
      expect(answer.status).toBe(422);
      expect(answer.body.errors).toEqual([{ field: 'devices[3].template', message: 'template "toaster" does not exist' }]);
      expect(await deviceCount()).toBe(before);
    });

    it('leaves nothing written when one device is malformed, naming its fields', async () => {
      const before = await deviceCount();
      const devices: Record<string, unknown>[] = batchOf(5, 'shape');
      devices[1] = { ...devices[1], displayName: 42 };
      devices[3] = { ...devices[3], id: 'bad id', tags: [], extra: 1 };
      const answer = await t.http('POST', '/api/devices/batch', { devices });
      expect(answer.status).toBe(400);
      expect(fieldsOf(answer.body)).toEqual(
        expect.arrayContaining(['devices[1].displayName', 'devices[3].id', 'devices[3].tags', 'devices[3].extra']),
      );
      expect(await deviceCount()).toBe(before);
    });

    it('refuses duplicate ids and oversized tags inside a batch', async () => {
      const devices = batchOf(4, 'dup');
      devices[2].id = devices[0].id;
      (devices[3].tags as Record<string, unknown>) = { blob: 'x'.repeat(17_000) };
      const answer = await t.http('POST', '/api/devices/batch', { devices });
      expect(answer.status).toBe(400);
      expect(fieldsOf(answer.body)).toEqual(['devices[2].id', 'devices[3].tags']);
      expect((await t.http('GET', `/api/devices/${devices[1].id}`)).status).toBe(404);
    });

    it('refuses a body without a devices array', async () => {
      expect((await t.http('POST', '/api/devices/batch', { devices: 'all' })).status).toBe(400);
      expect((await t.http('POST', '/api/devices/batch', {})).status).toBe(400);
      expect((await t.http('POST', '/api/devices/batch', { devices: [], more: 1 })).status).toBe(400);
    });
  });

  describe('list', () => {
    it('pages through devices in id order with a keyset cursor, optionally of one template', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const answer: { status: number; body: { value: { id: string; template: string }[]; nextCursor: string | null } } = await t.http(
          'GET',
          `/api/devices?template=kiosk&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(answer.status).toBe(200);
        expect(answer.body.value.every((device) => device.template === 'kiosk')).toBe(true);
        seen.push(...answer.body.value.map((device) => device.id));
        cursor = answer.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['b1-x', 'no-tags']);

      const firstPage = await t.http('GET', '/api/devices?limit=1000');
      expect(firstPage.body.value).toHaveLength(1000);
      expect(firstPage.body.nextCursor).toEqual(expect.any(String));
      const ids = firstPage.body.value.map((device: { id: string }) => device.id);
      expect(ids).toEqual([...ids].sort());
      const next = await t.http('GET', `/api/devices?limit=5&cursor=${firstPage.body.nextCursor}`);
      expect(next.body.value[0].id > ids[999]).toBe(true);
    });

    it('refuses a bad limit, cursor or template filter', async () => {
      expect(fieldsOf((await t.http('GET', '/api/devices?limit=1001')).body)).toEqual(['limit']);
      expect(fieldsOf((await t.http('GET', '/api/devices?limit=abc')).body)).toEqual(['limit']);
      expect(fieldsOf((await t.http('GET', '/api/devices?cursor=%5B1%5D')).body)).toEqual(['cursor']);
      expect(fieldsOf((await t.http('GET', '/api/devices?template=a%20b')).body)).toEqual(['template']);
    });
  });
});
