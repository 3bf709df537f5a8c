import { DeviceSetTestApp, startDeviceSetTestApp } from '../testing/device-set-test-app';

const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((error) => error.field);
const CHECKS = '/internal/job-definition-checks';

describe('job definition checks over HTTP', () => {
  let t: DeviceSetTestApp;

  beforeAll(async () => {
    // Each Seattle set holds 20 of the 40 machines: exactly the most one job may reach here.
    process.env.MAX_DEVICES_PER_JOB = '20';
    try {
      t = await startDeviceSetTestApp();
    } finally {
      delete process.env.MAX_DEVICES_PER_JOB;
    }
    await t.http('PUT', '/api/device-templates/vending-machine', {
      displayName: 'VM',
      capabilities: [
        { name: 'fanSpeed', kind: 'setting', schema: 'number' },
        { name: 'location', kind: 'property', schema: 'string' },
        { name: 'reboot', kind: 'command', schema: 'object' },
        { name: 'eco', kind: 'setting', schema: 'boolean' },
      ],
    });
    await t.http('PUT', '/api/device-templates/doomed', { displayName: 'Doomed', capabilities: [] });
    const devices = Array.from({ length: 40 }, (_, i) => ({
      id: `vm-${String(i).padStart(3, '0')}`,
      displayName: `VM ${i}`,
      template: 'vending-machine',
      tags: { city: i % 2 === 0 ? 'Seattle' : 'Tacoma' },
    }));
    expect((await t.http('POST', '/api/devices/batch', { devices })).status).toBe(200);
    await t.http('PUT', '/api/device-sets/seattle-vms', {
      displayName: 'Seattle VMs',
      conditions: [
        { field: 'template', operator: 'eq', value: 'vending-machine' },
        { field: 'tags.city', operator: 'eq', value: 'Seattle' },
      ],
    });
    await t.http('PUT', '/api/device-sets/anything-in-seattle', {
      displayName: 'Anything in Seattle',
      conditions: [{ field: 'tags.city', operator: 'eq', value: 'Seattle' }],
    });
    await t.http('PUT', '/api/device-sets/doomed-set', {
      displayName: 'Doomed',
      conditions: [{ field: 'template', operator: 'eq', value: 'doomed' }],
    });
    await t.http('DELETE', '/api/device-templates/doomed');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses a set-wide job on a set larger than MAX_DEVICES_PER_JOB, naming deviceSet, and lets one of that size through', async () => {
    expect((await t.http('PUT', '/api/device-sets/all-vms', { displayName: 'All VMs', conditions: [{ field: 'template', operator: 'eq', value: 'vending-machine' }] })).status).toBe(201);
    const tooLarge = await t.http('POST', CHECKS, { deviceSet: 'all-vms', devices: null, operations: [{ type: 'property', name: 'location', value: 'x' }] });
    expect(tooLarge.status).toBe(422);
    expect(fieldsOf(tooLarge.body)).toEqual(['deviceSet']);
    expect(tooLarge.body.errors[0].message).toMatch(/more than 20 devices/);
    const chosen = await t.http('POST', CHECKS, { deviceSet: 'all-vms', devices: ['vm-000', 'vm-001'], operations: [{ type: 'property', name: 'location', value: 'x' }] });
    expect(chosen.status).toBe(200);
    const atTheLimit = await t.http('POST', CHECKS, { deviceSet: 'seattle-vms', devices: null, operations: [{ type: 'property', name: 'location', value: 'x' }] });
    expect(atTheLimit.status).toBe(200);
  });

  it('accepts a valid definition and answers the template', async () => {
    const answer = await t.http('POST', CHECKS, {
      deviceSet: 'seattle-vms',
      devices: null,
      operations: [
        { type: 'setting', name: 'fanSpeed', value: 5 },
        { type: 'property', name: 'location', value: 'Pier 39' },
        { type: 'command', name: 'reboot', value: { delay: 1 } },
        { type: 'setting', name: 'eco', value: true },
      ],
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ template: 'vending-machine' });
    const subset = await t.http('POST', CHECKS, {
      deviceSet: 'seattle-vms',
      devices: ['vm-000', 'vm-038'],
      operations: [{ type: 'setting', name: 'fanSpeed', value: 1 }],
    });
    expect(subset.status).toBe(200);
  });

  it('counts the set\'s members up to the limit asked (the approval threshold), and only when asked', async () => {
    const check = (countMembersUpTo: number) =>
      t.http('POST', CHECKS, { deviceSet: 'seattle-vms', devices: null, operations: [{ type: 'setting', name: 'fanSpeed', value: 1 }], countMembersUpTo });
    expect((await check(5)).body).toEqual({ template: 'vending-machine', memberCount: 5 });
    expect((await check(1000)).body).toEqual({ template: 'vending-machine', memberCount: 20 });
    expect(fieldsOf((await check(0)).body)).toEqual(['countMembersUpTo']);
  });

  it('refuses an unknown set with 422 naming deviceSet', async () => {
    const answer = await t.http('POST', CHECKS, { deviceSet: 'nope', devices: null, operations: [] });
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toEqual([{ field: 'deviceSet', message: 'device set "nope" does not exist' }]);
  });

  it('refuses a broken set with 409 naming deviceSet and the reason', async () => {
    const answer = await t.http('POST', CHECKS, { deviceSet: 'doomed-set', devices: null, operations: [] });
    expect(answer.status).toBe(409);
    expect(fieldsOf(answer.body)).toEqual(['deviceSet']);
    expect(answer.body.errors[0].message).toContain('template "doomed" no longer exists');
  });

  it('refuses a set that fixes no template with 422 naming deviceSet', async () => {
    const answer = await t.http('POST', CHECKS, { deviceSet: 'anything-in-seattle', devices: null, operations: [] });
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toEqual([{ field: 'deviceSet', message: 'the device set does not fix a template' }]);
  });

  it('names each operation that is not in the template or has a value of the wrong schema', async () => {
    const answer = await t.http('POST', CHECKS, {
      deviceSet: 'seattle-vms',
      operations: [
        { type: 'setting', name: 'fanSpeed', value: 5 },
        { type: 'command', name: 'fanSpeed', value: {} },
        { type: 'setting', name: 'fanSpeed', value: 'fast' },
        { type: 'command', name: 'reboot', value: [] },
        { type: 'property', name: 'colour', value: 'red' },
      ],
    });
    expect(answer.status).toBe(422);
    expect(fieldsOf(answer.body)).toEqual(['operations[1].name', 'operations[2].value', 'operations[3].value', 'operations[4].name']);
  });

  it('names each explicit device that is not a current member, together with operation errors', async () => {
    const answer = await t.http('POST', CHECKS, {
      deviceSet: 'seattle-vms',
      devices: ['vm-000', 'vm-001', 'vm-002', 'ghost', 'vm-002'],
      operations: [{ type: 'setting', name: 'eco', value: 1 }],
    });
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toEqual([
      { field: 'operations[0].value', message: 'must be a boolean' },
      { field: 'devices[1]', message: 'device "vm-001" is not a member of device set "seattle-vms"' },
      { field: 'devices[3]', message: 'device "ghost" is not a member of device set "seattle-vms"' },
    ]);
  });

  it('checks 10,000 explicit devices in one go', async () => {
    const devices = Array.from({ length: 10_000 }, (_, i) => (i < 20 ? `vm-${String(i * 2).padStart(3, '0')}` : `other-${i}`));
    const answer = await t.http('POST', CHECKS, { deviceSet: 'seattle-vms', devices, operations: [] });
    expect(answer.status).toBe(422);
    // The answer lists the first errors and counts them all.
    expect(answer.body.errorCount).toBe(9_980);
    expect(answer.body.errors).toHaveLength(20);
    expect(answer.body.errors[0].field).toBe('devices[20]');
  });

  it('refuses malformed definitions with 400 naming the fields', async () => {
    const answer = await t.http('POST', CHECKS, {
      deviceSet: 'bad id',
      devices: 'all',
      operations: [{ type: 'telemetry', name: 3, value: 1, extra: 1 }],
    });
    expect(answer.status).toBe(400);
    expect(fieldsOf(answer.body)).toEqual(
      expect.arrayContaining(['deviceSet', 'devices', 'operations[0].type', 'operations[0].name', 'operations[0].extra']),
    );
    const tooMany = await t.http('POST', CHECKS, {
      deviceSet: 'seattle-vms',
      devices: Array.from({ length: 10_001 }, (_, i) => `d${i}`),
      operations: [],
    });
    expect(tooMany.status).toBe(400);
    expect(fieldsOf(tooMany.body)).toEqual(['devices']);
    expect((await t.http('POST', CHECKS, { deviceSet: 'seattle-vms', devices: ['a\u0000'], operations: [] })).status).toBe(400);
    expect((await t.http('POST', CHECKS, { deviceSet: 'seattle-vms' })).status).toBe(400);
    expect((await t.http('POST', CHECKS, undefined, '{')).status).toBe(400);
  });

  it('accepts a rollout batch size the set can fill and refuses a larger one with 422 naming rollout.batches.size', async () => {
    const definition = { deviceSet: 'seattle-vms', devices: null, operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }] };
    expect((await t.http('POST', CHECKS, { ...definition, batchSize: 20 })).status).toBe(200);
    const tooBig = await t.http('POST', CHECKS, { ...definition, batchSize: 21 });
    expect(tooBig.status).toBe(422);
    expect(fieldsOf(tooBig.body)).toEqual(['rollout.batches.size']);
    expect(tooBig.body.errors[0].message).toContain('20 devices');
    expect((await t.http('POST', CHECKS, { ...definition, batchSize: 0 })).status).toBe(400);
  });
});
