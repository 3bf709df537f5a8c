import { uniqueId } from '../support/fleetjobs.client';
import { createFleet } from '../support/fleet.fixture';
import { systemUnderTest } from '../support/system-under-test';

const { api, hub } = systemUnderTest();

afterAll(() => hub.close());

/** What a real IoT Hub would refuse is refused at the API, naming the field, and nothing is written. */
describe("the API refuses what IoT Hub's twin and method limits would refuse", () => {
  let fleet: Awaited<ReturnType<typeof createFleet>>;
  const fieldsOf = (body: any): string[] => (body?.errors ?? []).map((error: { field: string }) => error.field);

  beforeAll(async () => {
    fleet = await createFleet(api, hub, { label: 'hublimits', count: 1 });
  });

  it.each([
    ['a tag named serial.no', { 'serial.no': 'A1' }, 'tags.serial.no'],
    ['12 KiB of tags', { notes: Array.from({ length: 6 }, () => 'x'.repeat(2000)) }, 'tags'],
    ['a tag string over 4 KB', { notes: 'x'.repeat(4100) }, 'tags'],
  ])('a device with %s', async (_label, tags, field) => {
    const id = uniqueId('dev');
    const answer = await api.put(`/api/devices/${id}`, { displayName: 'D', template: fleet.template, tags });
    expect(answer.status).toBe(400);
    expect(fieldsOf(answer.body)).toEqual([field]);
    expect((await api.get(`/api/devices/${id}`)).status).toBe(404);
  });

  it('a device of a batch with a tag named serial.no', async () => {
    const id = uniqueId('dev');
    const answer = await api.post('/api/devices/batch', { devices: [{ id, displayName: 'D', template: fleet.template, tags: { 'serial.no': 'A1' } }] });
    expect(answer.status).toBe(400);
    expect(fieldsOf(answer.body)).toEqual(['devices[0].tags.serial.no']);
    expect((await api.get(`/api/devices/${id}`)).status).toBe(404);
  });

  it.each([
    ['a setting named $version', { name: '$version', kind: 'setting', schema: 'number' }],
    ['a property named serial.no', { name: 'serial.no', kind: 'property', schema: 'string' }],
    ['a command named do it', { name: 'do it', kind: 'command', schema: 'object' }],
  ])('a template with %s', async (_label, capability) => {
    const id = uniqueId('tpl');
    const answer = await api.put(`/api/device-templates/${id}`, { displayName: 'T', capabilities: [capability] });
    expect(answer.status).toBe(400);
    expect(fieldsOf(answer.body)).toEqual(['capabilities[0].name']);
    expect((await api.get(`/api/device-templates/${id}`)).status).toBe(404);
  });

  it.each([
    ['a 200 KB method payload', { type: 'command', name: 'reboot', value: { blob: 'x'.repeat(200 * 1024) } }, 'operations[0].value'],
    ['a method named do it', { type: 'command', name: 'do it', value: {} }, 'operations[0].name'],
    ['a 9 KB property value', { type: 'property', name: 'location', value: 'x'.repeat(9 * 1024) }, 'operations[0].value'],
    ['a setting named $version', { type: 'setting', name: '$version', value: 1 }, 'operations[0].name'],
    ['a setting value with a key named a.b', { type: 'setting', name: 'fanSpeed', value: { 'a.b': 1 } }, 'operations[0].value.a.b'],
  ])('a job with %s', async (_label, operation, field) => {
    const id = uniqueId('job');
    const answer = await api.put(`/api/jobs/${id}`, { displayName: 'J', deviceSet: fleet.deviceSet, operations: [operation] });
    expect(answer.status).toBe(400);
    expect(fieldsOf(answer.body)).toContain(field);
    expect((await api.get(`/api/jobs/${id}`)).status).toBe(404);
  });
});
