import { Actor } from '@fleetjobs/contracts';
import { encodeActorHeader } from '@fleetjobs/http-kit';
import { DeviceSetTestApp, startDeviceSetTestApp } from '../testing/device-set-test-app';

const builder: Actor = { id: 'user:b-17', name: 'Bea Builder', role: 'builder', address: '198.51.100.4' };
const asBuilder = { 'x-fleetjobs-actor': encodeActorHeader(builder) };

/** Every event a command of the API causes says who sent the command, as the public edge named them. */
describe('the actor on device-set events', () => {
  let t: DeviceSetTestApp;

  beforeAll(async () => {
    t = await startDeviceSetTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is on the events of template, device and set changes sent with x-fleetjobs-actor', async () => {
    const send = (method: string, path: string, body?: unknown) => t.http(method, path, body, undefined, asBuilder);
    expect((await send('PUT', '/api/device-templates/act-kiosk', { displayName: 'Kiosk', capabilities: [] })).status).toBe(201);
    expect((await send('PUT', '/api/devices/act-k1', { displayName: 'K1', template: 'act-kiosk' })).status).toBe(201);
    const batch = await send('POST', '/api/devices/batch', {
      devices: [
        { id: 'act-k2', displayName: 'K2', template: 'act-kiosk' },
        { id: 'act-k3', displayName: 'K3', template: 'act-kiosk' },
      ],
    });
    expect(batch.status).toBe(200);
    const conditions = [{ field: 'template', operator: 'eq', value: 'act-kiosk' }];
    expect((await send('PUT', '/api/device-sets/act-kiosks', { displayName: 'Kiosks', conditions })).status).toBe(201);
    expect((await send('PUT', '/api/device-sets/act-doomed', { displayName: 'Doomed', conditions })).status).toBe(201);
    expect((await send('DELETE', '/api/device-sets/act-doomed')).status).toBe(204);
    expect((await send('DELETE', '/api/devices/act-k1')).status).toBe(204);
    // Deleting the template breaks the set that fixes it: that announcement is the builder's doing too.
    expect((await send('DELETE', '/api/device-templates/act-kiosk')).status).toBe(204);

    await t.settled();
    const caused = t.events.seen.filter((event) => event.subject.startsWith('act-'));
    expect(caused.map((event) => `${event.type} ${event.subject}`)).toEqual(
      expect.arrayContaining([
        'DeviceTemplateSaved act-kiosk',
        'DeviceRegistered act-k1',
        'DeviceRegistered act-k2',
        'DeviceRegistered act-k3',
        'DeviceSetSaved act-kiosks',
        'DeviceSetSaved act-doomed',
        'DeviceSetDeleted act-doomed',
        'DeviceDeleted act-k1',
        'DeviceTemplateDeleted act-kiosk',
        'DeviceSetBroken act-kiosks',
      ]),
    );
    expect(caused).toHaveLength(10);
    for (const event of caused) expect([event.type, event.subject, event.actor]).toEqual([event.type, event.subject, builder]);
  });

  it('is absent from the events of a change sent without the header', async () => {
    expect((await t.http('PUT', '/api/device-templates/anon-kiosk', { displayName: 'Kiosk', capabilities: [] })).status).toBe(201);
    expect((await t.http('PUT', '/api/devices/anon-k1', { displayName: 'K1', template: 'anon-kiosk' })).status).toBe(201);

    await t.settled();
    const caused = t.events.seen.filter((event) => event.subject.startsWith('anon-'));
    expect(caused.map((event) => event.type)).toEqual(['DeviceTemplateSaved', 'DeviceRegistered']);
    for (const event of caused) expect(event).not.toHaveProperty('actor');
  });

  it('refuses a command whose actor header is unreadable, and writes nothing', async () => {
    const answer = await t.http('PUT', '/api/devices/bad-actor', { displayName: 'X', template: 'anon-kiosk' }, undefined, {
      'x-fleetjobs-actor': 'not-an-actor',
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([{ field: 'x-fleetjobs-actor', message: 'is not an actor encoded by the public edge' }]);
    expect((await t.http('GET', '/api/devices/bad-actor')).status).toBe(404);
  });
});
