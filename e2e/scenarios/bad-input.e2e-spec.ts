import { uniqueId } from '../support/fleetjobs.client';
import { createFleet } from '../support/fleet.fixture';
import { systemUnderTest } from '../support/system-under-test';

const { api, hub } = systemUnderTest();

afterAll(() => hub.close());

function expectProblem(response: { status: number; body: any; headers: Headers }, status: number, field?: string): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
  expect(response.body).toMatchObject({ status, title: expect.any(String) });
  if (field) expect(response.body.errors.map((error: any) => error.field)).toContain(field);
}

describe('bad input gets a problem document naming the field, and leaves nothing behind', () => {
  let fleet: Awaited<ReturnType<typeof createFleet>>;
  const job = (overrides: Record<string, unknown> = {}) => ({
    displayName: 'Job',
    deviceSet: fleet.deviceSet,
    operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
    ...overrides,
  });

  beforeAll(async () => {
    fleet = await createFleet(api, hub, { label: 'bad', count: 3 });
  });

  it('malformed JSON', async () => {
    expectProblem(await api.request('PUT', `/api/jobs/${uniqueId('j')}`, undefined, '{"displayName": '), 400, 'body');
  });

  it.each([
    ['unknown field', { colour: 'red' }, 'colour'],
    ['wrong type', { displayName: 42 }, 'displayName'],
    ['operation type', { operations: [{ type: 'dance', name: 'fanSpeed', value: 1 }] }, 'operations[0].type'],
    ['no operations', { operations: [] }, 'operations'],
    ['bad device id', { devices: ['not ok!'] }, 'devices'],
  ])('%s', async (_label, overrides, field) => {
    const id = uniqueId('j');
    expectProblem(await api.put(`/api/jobs/${id}`, job(overrides)), 400, field);
    expect((await api.get(`/api/jobs/${id}`)).status).toBe(404);
  });

  it.each([
    ['an operation not in the template', { operations: [{ type: 'command', name: 'selfDestruct', value: {} }] }, 'operations[0].name'],
    ['a value of the wrong schema', { operations: [{ type: 'setting', name: 'fanSpeed', value: 'fast' }] }, 'operations[0].value'],
    ['an unknown device set', { deviceSet: 'no-such-set' }, 'deviceSet'],
    ['devices outside the set', { devices: ['someone-else'] }, 'devices[0]'],
  ])('%s', async (_label, overrides, field) => {
    const id = uniqueId('j');
    const response = await api.put(`/api/jobs/${id}`, job(overrides));
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expectProblem(response, response.status, field);
    expect((await api.get(`/api/jobs/${id}`)).status).toBe(404);
  });

  it.each([
    ['a cron expression that is none', { cron: 'every monday' }, 'schedule.recurrence.cron'],
    ['an unknown zone', { cron: '0 2 * * 1', timeZone: 'Mars/Olympus' }, 'schedule.recurrence.timeZone'],
    ['an end in the past', { cron: '0 2 * * 1', endAt: '2020-01-01T00:00:00Z' }, 'schedule.recurrence.endAt'],
    ['an end without a zone', { cron: '0 2 * * 1', endAt: '2099-01-01T00:00:00' }, 'schedule.recurrence.endAt'],
    ['no runs', { cron: '0 2 * * 1', count: 0 }, 'schedule.recurrence.count'],
    ['both a count and an end', { cron: '0 2 * * 1', count: 2, endAt: '2099-01-01T00:00:00Z' }, 'schedule.recurrence.count'],
    ['an unknown field', { cron: '0 2 * * 1', every: 'week' }, 'schedule.recurrence.every'],
  ])('a recurring schedule with %s', async (_label, recurrence, field) => {
    const id = uniqueId('s');
    expectProblem(await api.put(`/api/jobs/${id}`, job({ schedule: { recurrence } })), 400, field);
    expect((await api.get(`/api/schedules/${id}`)).status).toBe(404);
    expect((await api.get(`/api/jobs/${id}.run-1`)).status).toBe(404);
  });

  it('a recurring schedule whose id leaves no room for its runs’ names', async () => {
    expectProblem(await api.put(`/api/jobs/${'s'.repeat(115)}`, job({ schedule: { recurrence: { cron: '0 2 * * 1' } } })), 400, 'id');
    expectProblem(await api.get('/api/schedules/has%20space'), 400, 'id');
    expectProblem(await api.get('/api/schedules?limit=0'), 400, 'limit');
    expectProblem(await api.get('/api/jobs?scheduleId=has%20space'), 400, 'scheduleId');
  });

  it('a bad id in the path', async () => {
    expectProblem(await api.put('/api/jobs/has%20space', job()), 400, 'id');
    expectProblem(await api.get(`/api/devices/${'x'.repeat(129)}`), 400, 'id');
  });

  it('a device batch with one bad device writes none of them', async () => {
    const prefix = uniqueId('batch');
    const devices = [0, 1, 2].map((index) => ({ id: `${prefix}-${index}`, displayName: 'M', template: fleet.template }));
    devices[2] = { ...devices[2], template: 'no-such-template' };
    expectProblem(await api.post('/api/devices/batch', { devices }), 422, 'devices[2].template');
    expect((await api.get(`/api/devices/${prefix}-0`)).status).toBe(404);
  });

  it('an oversized batch', async () => {
    const devices = Array.from({ length: 10_001 }, (_, index) => ({ id: `o-${index}`, displayName: 'M', template: fleet.template }));
    const response = await api.post('/api/devices/batch', { devices });
    expect([400, 413]).toContain(response.status);
    expect((await api.get('/api/devices/o-0')).status).toBe(404);
  });

  it('bad paging and filters', async () => {
    expectProblem(await api.get('/api/jobs?status=happy'), 400, 'status');
    expectProblem(await api.get('/api/jobs?limit=0'), 400, 'limit');
    expectProblem(await api.get('/api/jobs?cursor=garbage'), 400, 'cursor');
  });

  it('a bad device set condition', async () => {
    expectProblem(
      await api.put(`/api/device-sets/${uniqueId('s')}`, { displayName: 'S', conditions: [{ field: 'template', operator: 'like', value: 'x' }] }),
      400,
      'conditions[0].operator',
    );
  });
});
