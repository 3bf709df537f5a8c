import { FleetEvent } from '@fleetjobs/contracts';
import { JobBatchHandler } from '../jobs/job-batch.handler';
import {
  aDeviceFailed,
  aDeviceSucceeded,
  aJobCreated,
  aJobFailed,
  aJobPaused,
  aJobResumed,
  aJobStarted,
  aJobTargetsResolved,
} from '../testing/job-event.builders';
import { ProjectionTestApp, startProjectionApp } from '../testing/projection-test-app';
import { createProjectionTestDb, ProjectionTestDb } from '../testing/projection-test-db';

/** An hour ago plus `seconds`: recent, distinct instants of the job's life. */
const BASE = Date.now() - 60 * 60 * 1000;
const t = (seconds: number) => new Date(BASE + seconds * 1000).toISOString();

const targetsAt = (jobId: string, devices: string[], seconds: number, chunk = 0): FleetEvent => ({ ...aJobTargetsResolved(jobId, devices, chunk), time: t(seconds) });
const succeededAt = (jobId: string, deviceId: string, seconds: number): FleetEvent => {
  const event = aDeviceSucceeded(jobId, deviceId);
  return { ...event, time: t(seconds + 0.5), data: { ...event.data, completedAt: t(seconds) } };
};
const failedAt = (jobId: string, deviceId: string, seconds: number, error = 'device is offline'): FleetEvent => {
  const event = aDeviceFailed(jobId, deviceId, error);
  return { ...event, time: t(seconds + 0.5), data: { ...event.data, failedAt: t(seconds) } };
};

/**
 * job-1: created at 0 s, three devices targeted at 1 s and started, vm-a done at 2 s, paused at 3 s,
 * vm-b (in flight) failed at 3.5 s, resumed at 4 s, vm-c done at 5 s, failed at 6 s. A device of a
 * second chunk (vm-d) is heard of first by its outcome (at 5.5 s), its target arriving later (7 s).
 */
function history(): FleetEvent[] {
  return [
    aJobCreated('job-1', { createdAt: t(0) }),
    targetsAt('job-1', ['vm-a', 'vm-b', 'vm-c'], 1),
    aJobStarted('job-1', 4, t(1)),
    succeededAt('job-1', 'vm-a', 2),
    aJobPaused('job-1', t(3)),
    failedAt('job-1', 'vm-b', 3.5, 'firmware rejected'),
    aJobResumed('job-1', t(4)),
    succeededAt('job-1', 'vm-c', 5),
    failedAt('job-1', 'vm-d', 5.5),
    aJobFailed('job-1', 'some devices failed', t(6)),
    targetsAt('job-1', ['vm-d'], 7, 1),
  ];
}

describe('a job and its devices at any moment (?at=)', () => {
  let db: ProjectionTestDb;
  let service: ProjectionTestApp;
  let batches: JobBatchHandler;
  const events = history();

  const get = async (path: string, accept?: string) => {
    const response = await fetch(`${service.baseUrl}${path}`, { headers: accept ? { accept } : {} });
    const text = await response.text();
    return { status: response.status, body: accept === 'text/csv' ? text : text ? JSON.parse(text) : null };
  };
  const jobAt = (seconds: number) => get(`/api/jobs/job-1?at=${encodeURIComponent(t(seconds))}`);
  const devicesAt = async (seconds: number, query = '') => {
    const { status, body } = await get(`/api/jobs/job-1/devices?at=${encodeURIComponent(t(seconds))}${query}`);
    expect(status).toBe(200);
    return (body.value as Array<{ deviceId: string; status: string; error: string | null; attempts: number | null }>).map(
      ({ deviceId, status: s, error }) => `${deviceId} ${s}${error ? ` (${error})` : ''}`,
    );
  };

  beforeAll(async () => {
    db = await createProjectionTestDb();
    service = await startProjectionApp(db.dataSource);
    batches = service.app.get(JobBatchHandler);
    // In two batches, so that a batch meets rows and status changes another wrote.
    await batches.apply(events.slice(0, 5));
    await batches.apply(events.slice(5));
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('right after its creation: pending, no devices, nothing started', async () => {
    const { status, body } = await jobAt(0);
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: 'job-1', status: 'pending', startedAt: null, endedAt: null, error: null, counts: { total: 0, pending: 0, completed: 0, failed: 0 } });
    expect(await devicesAt(0.5)).toEqual([]);
  });

  it('running: the devices targeted by then, each with its status then', async () => {
    expect((await jobAt(2)).body).toMatchObject({ status: 'running', startedAt: t(1), counts: { total: 4, pending: 2, completed: 1, failed: 0 } });
    expect(await devicesAt(2)).toEqual(['vm-a completed', 'vm-b pending', 'vm-c pending']);
  });

  it('paused, and an in-flight device failing while paused', async () => {
    expect((await jobAt(3)).body).toMatchObject({ status: 'paused', counts: { completed: 1, failed: 0, pending: 2 } });
    expect((await jobAt(3.5)).body).toMatchObject({ status: 'paused', counts: { completed: 1, failed: 1, pending: 1 } });
    expect(await devicesAt(3.5)).toEqual(['vm-a completed', 'vm-b failed (firmware rejected)', 'vm-c pending']);
    expect((await jobAt(4)).body).toMatchObject({ status: 'running', endedAt: null });
  });

  it('a device is known from its outcome when that came before its target', async () => {
    expect(await devicesAt(5.5)).toEqual(['vm-a completed', 'vm-b failed (firmware rejected)', 'vm-c completed', 'vm-d failed (device is offline)']);
    expect((await jobAt(5.4)).body.counts).toEqual({ total: 4, pending: 0, completed: 2, failed: 1 });
  });

  it('after the end: the end, its reason and the final counts, the same as now', async () => {
    const now = await get('/api/jobs/job-1');
    const then = await jobAt(7);
    expect(then.body).toMatchObject({ status: 'failed', endedAt: t(6), error: 'some devices failed', counts: { total: 4, pending: 0, completed: 2, failed: 2 } });
    expect(then.body).toEqual({ ...now.body, rolloutProgress: null });
  });

  it('filters on the status then, and pages with it', async () => {
    const first = await get(`/api/jobs/job-1/devices?at=${encodeURIComponent(t(2))}&status=pending&limit=1`);
    expect(first.body.value.map((d: { deviceId: string }) => d.deviceId)).toEqual(['vm-b']);
    const second = await get(`/api/jobs/job-1/devices?at=${encodeURIComponent(t(2))}&status=pending&limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(second.body).toEqual({ value: [expect.objectContaining({ deviceId: 'vm-c', status: 'pending', error: null, attempts: null })], nextCursor: null });
    expect(await devicesAt(3.5, '&status=failed')).toEqual(['vm-b failed (firmware rejected)']);
    expect(await devicesAt(3.5, '&search=VM-C')).toEqual(['vm-c pending']);
  });

  it('the CSV export honours at', async () => {
    const csv = await get(`/api/jobs/job-1/devices?at=${encodeURIComponent(t(2))}`, 'text/csv');
    expect(csv.status).toBe(200);
    const lines = (csv.body as string).trim().split(/\r?\n/);
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 1).join())).toEqual(['vm-a', 'vm-b', 'vm-c']);
    expect(lines.slice(1).map((line) => line.includes('completed'))).toEqual([true, false, false]);
  });

  it('before the job existed: 404, for the job and its devices alike', async () => {
    for (const path of ['/api/jobs/job-1', '/api/jobs/job-1/devices', '/api/jobs/job-1/devices.csv']) {
      const { status, body } = await get(`${path}?at=${encodeURIComponent(t(-1))}`);
      expect({ path, status }).toEqual({ path, status: 404 });
      if (!path.endsWith('.csv')) expect(body.detail).toContain('did not exist at');
    }
    expect((await get(`/api/jobs/nope?at=${encodeURIComponent(t(1))}`)).status).toBe(404);
  });

  it.each([
    ['unreadable', 'yesterday'],
    ['in the future', new Date(Date.now() + 60 * 60 * 1000).toISOString()],
    ['past year 9999', '10000-01-01T00:00:00Z'],
    ['year 0000', '0000-01-01T00:00:00Z'],
    ['given twice', [t(1), t(2)]],
  ])('an instant %s is a 400 naming at', async (_name, at) => {
    const query = (Array.isArray(at) ? at : [at]).map((value) => `at=${encodeURIComponent(value)}`).join('&');
    for (const path of ['/api/jobs/job-1', '/api/jobs/job-1/devices', '/api/jobs/job-1/devices.ndjson']) {
      const { status, body } = await get(`${path}?${query}`);
      expect({ path, status, fields: body.errors.map((error: { field: string }) => error.field) }).toEqual({ path, status: 400, fields: ['at'] });
    }
  });

  it('a date alone means its UTC midnight; a zone offset is honoured', async () => {
    expect((await get('/api/jobs/job-1?at=2000-01-01')).status).toBe(404);
    const offset = new Date(BASE + 2000);
    const local = `${new Date(offset.getTime() + 2 * 3600_000).toISOString().slice(0, 23)}+02:00`;
    expect((await get(`/api/jobs/job-1?at=${encodeURIComponent(local)}`)).body).toMatchObject({ status: 'running', counts: { completed: 1 } });
  });

  it('the same events delivered again change no answer', async () => {
    const moments = [0, 2, 3.5, 5.5, 7];
    const before = await Promise.all(moments.map(async (s) => [(await jobAt(s)).body, await devicesAt(s)]));
    await batches.apply(events);
    const after = await Promise.all(moments.map(async (s) => [(await jobAt(s)).body, await devicesAt(s)]));
    expect(after).toEqual(before);
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM projection.job_status_changes WHERE job_id = 'job-1'`)).toEqual([{ n: 4 }]);
  });
});
