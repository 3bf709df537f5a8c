import { ROUTE_ROLES, RouteRole } from '@fleetjobs/access';
import { Role, roleAllows, ROLES } from '@fleetjobs/contracts';
import { createFleet, Fleet, VENDING_CAPABILITIES } from '../support/fleet.fixture';
import { eventually, FleetjobsClient, uniqueId } from '../support/fleetjobs.client';
import { systemUnderTest } from '../support/system-under-test';

/**
 * Every route of the route table, for every role and for a caller without credentials: the
 * expected 2xx, 401 or 403. Each request is one the route would carry out (its entities exist,
 * its body is valid), so an allowed role must get a 2xx, and a refused one proves the refusal
 * came from access, not from the input.
 */
const { api: admin, hub } = systemUnderTest();
type Caller = Role | 'anonymous';
const CALLERS: Caller[] = ['anonymous', ...ROLES];

let fleet: Fleet;
const callers = new Map<Caller, FleetjobsClient>();

/** A request the route would carry out, with whatever it acts on made beforehand by the administrator. */
type Prepared = { path: string; body?: unknown; stream?: boolean };

const json = (response: { status: number; body: unknown }, what: string) => {
  if (response.status >= 300) throw new Error(`${what} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body as any;
};

const jobsMade: string[] = [];

async function slowJob(label: string): Promise<string> {
  const id = uniqueId(label);
  jobsMade.push(id);
  json(await admin.put(`/api/jobs/${id}`, { displayName: label, deviceSet: fleet.deviceSet, operations: [{ type: 'command', name: 'reboot', value: {} }] }), `job ${id}`);
  return id;
}

const schedulesMade: string[] = [];

/** A yearly recurring schedule (its run 1 pending until next New Year), made by the administrator. */
async function aSchedule(label: string): Promise<string> {
  const id = uniqueId(label);
  schedulesMade.push(id);
  const body = { displayName: label, deviceSet: fleet.deviceSet, operations: [{ type: 'command', name: 'reboot', value: {} }], schedule: { recurrence: { cron: '0 0 1 1 *' } } };
  json(await admin.put(`/api/jobs/${id}`, body), `schedule ${id}`);
  return id;
}

/** A slow job the read model knows already: the stream and the export follow the read model, which learns of a new job a moment after its creation. */
async function jobInReadModel(label: string): Promise<string> {
  const job = await slowJob(label);
  await eventually(() => admin.get(`/api/jobs/${job}`), (r) => r.status === 200 && r.body.counts.total === 1, 60_000, `job ${job} in the read model`);
  return job;
}

async function prepare(route: RouteRole): Promise<Prepared> {
  const key = `${route.method} ${route.path}`;
  const id = uniqueId('mx');
  switch (key) {
    case 'GET /api/device-templates/{id}':
      return { path: `/api/device-templates/${fleet.template}` };
    case 'PUT /api/device-templates/{id}':
      return { path: `/api/device-templates/${id}`, body: { displayName: 'Matrix', capabilities: VENDING_CAPABILITIES } };
    case 'DELETE /api/device-templates/{id}':
      json(await admin.put(`/api/device-templates/${id}`, { displayName: 'Matrix', capabilities: VENDING_CAPABILITIES }), 'a template');
      return { path: `/api/device-templates/${id}` };
    case 'GET /api/devices/{id}':
      return { path: `/api/devices/${fleet.deviceIds[0]}` };
    case 'PUT /api/devices/{id}':
      return { path: `/api/devices/${id}`, body: { displayName: 'Matrix', template: fleet.template, tags: {} } };
    case 'DELETE /api/devices/{id}':
      json(await admin.put(`/api/devices/${id}`, { displayName: 'Matrix', template: fleet.template, tags: {} }), 'a device');
      return { path: `/api/devices/${id}` };
    case 'POST /api/devices/batch':
      return { path: '/api/devices/batch', body: { devices: [{ id, displayName: 'Matrix', template: fleet.template, tags: {} }] } };
    case 'POST /api/devices/import':
      return { path: '/api/devices/import', body: {} };
    case 'GET /api/device-sets/{id}':
      return { path: `/api/device-sets/${fleet.deviceSet}` };
    case 'GET /api/device-sets/{id}/devices':
      return { path: `/api/device-sets/${fleet.deviceSet}/devices` };
    case 'PUT /api/device-sets/{id}':
      return { path: `/api/device-sets/${id}`, body: { displayName: 'Matrix', conditions: [{ field: 'template', operator: 'eq', value: fleet.template }] } };
    case 'DELETE /api/device-sets/{id}':
      json(await admin.put(`/api/device-sets/${id}`, { displayName: 'Matrix', conditions: [{ field: 'template', operator: 'eq', value: fleet.template }] }), 'a set');
      return { path: `/api/device-sets/${id}` };
    // Each role's job writes what the others' do on the same set: allowed to run beside them, as this asks only who may create.
    case 'POST /api/jobs':
      return { path: '/api/jobs', body: { displayName: 'Matrix', deviceSet: fleet.deviceSet, operations: [{ type: 'property', name: 'location', value: 'x' }], onConflict: 'allow' } };
    case 'POST /api/jobs/preview':
      return { path: '/api/jobs/preview', body: { displayName: 'Matrix', deviceSet: fleet.deviceSet, operations: [{ type: 'property', name: 'location', value: 'x' }] } };
    case 'PUT /api/jobs/{id}':
      return { path: `/api/jobs/${id}`, body: { displayName: 'Matrix', deviceSet: fleet.deviceSet, operations: [{ type: 'property', name: 'location', value: 'x' }], onConflict: 'allow' } };
    case 'GET /api/jobs/{id}':
      return { path: `/api/jobs/${await slowJob('mx-read')}` };
    case 'GET /api/jobs/{id}/devices.csv':
    case 'GET /api/jobs/{id}/devices.ndjson':
      return { path: `/api/jobs/${await jobInReadModel('mx-export')}/${route.path.split('/').pop()}` };
    case 'GET /api/jobs/{id}/devices':
      return { path: `/api/jobs/${await slowJob('mx-devices')}/devices` };
    case 'GET /api/jobs/{id}/stream':
      return { path: `/api/jobs/${await jobInReadModel('mx-stream')}/stream`, stream: true };
    case 'POST /api/jobs/{id}/stop':
    case 'POST /api/jobs/{id}/pause':
    case 'POST /api/jobs/{id}/approve':
      return { path: `/api/jobs/${await slowJob('mx-control')}/${route.path.split('/').pop()}` };
    case 'POST /api/jobs/{id}/resume': {
      const job = await slowJob('mx-resume');
      json(await admin.post(`/api/jobs/${job}/pause`), 'a pause');
      return { path: `/api/jobs/${job}/resume` };
    }
    case 'POST /api/jobs/{id}/rerun': {
      const job = await slowJob('mx-rerun');
      json(await admin.post(`/api/jobs/${job}/stop`), 'a stop');
      jobsMade.push(id);
      return { path: `/api/jobs/${job}/rerun`, body: { id, devices: 'all' } };
    }
    case 'POST /api/jobs/{id}/revert': {
      // A setting on a device of its own, stopped at once: no other active job writes the same on it.
      const device = uniqueId('mx-revert-device');
      json(await admin.put(`/api/devices/${device}`, { displayName: 'Matrix', template: fleet.template, tags: { fleet: fleet.prefix } }), 'a device');
      const job = uniqueId('mx-revert');
      const fanSpeed = [{ type: 'setting', name: 'fanSpeed', value: 1 }];
      json(await admin.put(`/api/jobs/${job}`, { displayName: 'Matrix', deviceSet: fleet.deviceSet, devices: [device], operations: fanSpeed }), `job ${job}`);
      json(await admin.post(`/api/jobs/${job}/stop`), 'a stop');
      jobsMade.push(id);
      return { path: `/api/jobs/${job}/revert`, body: { id } };
    }
    case 'POST /api/jobs/{id}/copy':
      return { path: `/api/jobs/${await slowJob('mx-copy')}/copy` };
    case 'GET /api/schedules/{id}':
    case 'DELETE /api/schedules/{id}':
      return { path: `/api/schedules/${await aSchedule('mx-schedule')}` };
    case 'POST /api/schedules/{id}/pause':
      return { path: `/api/schedules/${await aSchedule('mx-schedule-pause')}/pause` };
    case 'POST /api/schedules/{id}/resume': {
      const schedule = await aSchedule('mx-schedule-resume');
      json(await admin.post(`/api/schedules/${schedule}/pause`), 'a schedule paused');
      return { path: `/api/schedules/${schedule}/resume` };
    }
    case 'POST /api/tokens':
      return { path: '/api/tokens', body: { name: `matrix ${id}`, role: 'viewer' } };
    case 'DELETE /api/tokens/{id}': {
      const token = json(await admin.post('/api/tokens', { name: `matrix ${id}`, role: 'viewer' }), 'a token');
      return { path: `/api/tokens/${token.id}` };
    }
    default:
      if (route.method === 'GET' && !route.path.includes('{')) return { path: route.path };
      throw new Error(`the access matrix has no prepared request for ${key}: add one`);
  }
}

async function send(client: FleetjobsClient, route: RouteRole, prepared: Prepared): Promise<number> {
  if (!prepared.stream) return (await client.request(route.method, prepared.path, prepared.body)).status;
  const abort = new AbortController();
  const response = await fetch(`${client.baseUrl}${prepared.path}`, { headers: client.authHeaders(), signal: abort.signal });
  // A refusal is a whole problem document; an open stream is checked by its status and type.
  await client.conforms(route.method, prepared.path, response, response.status === 200 ? '' : await response.text());
  abort.abort();
  return response.status;
}

const expected = (caller: Caller, route: RouteRole): string => {
  if (route.access === 'public') return '2xx';
  if (caller === 'anonymous') return '401';
  return roleAllows(caller, route.access) ? '2xx' : '403';
};

const seen = (status: number): string => (status >= 200 && status < 300 ? '2xx' : String(status));

describe('who may do what: every route, every role', () => {
  beforeAll(async () => {
    fleet = await createFleet(admin, hub, { label: 'matrix', count: 1, simulator: () => ({ latencyMs: 8000 }) });
    callers.set('anonymous', admin.as(undefined));
    for (const role of ROLES) {
      const token = json(await admin.post('/api/tokens', { name: `matrix ${role}`, role }), `a ${role} token`);
      callers.set(role, admin.as(token.token));
    }
  });

  afterAll(async () => {
    // Jobs left paused by a refused resume would otherwise stay open in the shared system.
    for (const id of jobsMade) await admin.post(`/api/jobs/${id}/stop`);
    // Deleting a schedule stops its pending run.
    for (const id of schedulesMade) await admin.delete(`/api/schedules/${id}`);
  });

  it.each(ROUTE_ROLES.map((route) => [`${route.method} ${route.path}`, route] as const))('%s', async (_name, route) => {
    const outcomes: Record<string, string> = {};
    const wanted: Record<string, string> = {};
    for (const caller of CALLERS) {
      const prepared = await prepare(route);
      outcomes[caller] = seen(await send(callers.get(caller)!, route, prepared));
      wanted[caller] = expected(caller, route);
    }
    expect(outcomes).toEqual(wanted);
  });

  it('refuses a revoked token, and a token whose secret was altered, with 401', async () => {
    const token = json(await admin.post('/api/tokens', { name: 'matrix revoked', role: 'operator' }), 'a token');
    const holder = admin.as(token.token);
    expect((await holder.get('/api/me')).body).toMatchObject({ id: `token:${token.id}`, role: 'operator' });
    expect((await admin.delete(`/api/tokens/${token.id}`)).status).toBe(204);
    const refused = await holder.get('/api/jobs');
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ status: 401, errors: [{ field: 'authorization' }] });
    expect((await admin.as(`${token.token.slice(0, -4)}AAAA`).get('/api/jobs')).status).toBe(401);
  });
});
