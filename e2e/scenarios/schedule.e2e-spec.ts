import { LoggedOperation } from '@fleetjobs/hub-simulator';
import { eventually, uniqueId } from '../support/fleetjobs.client';
import { createFleet, waitForJobEnd } from '../support/fleet.fixture';
import { allHubOperations } from '../support/hub-operations';
import { systemUnderTest } from '../support/system-under-test';

const { api, hub } = systemUnderTest();

afterAll(() => hub.close());

/** Desired-property patches of `fanSpeed` = `value` that reached the hub for these devices. */
async function fanSpeedPatches(deviceIds: string[], value: number): Promise<LoggedOperation[]> {
  const fleet = new Set(deviceIds);
  return (await allHubOperations(hub, { kind: 'twin-patch' })).filter((entry) => {
    const desired = (entry.payload as { properties?: { desired?: { fanSpeed?: unknown } } } | null)?.properties?.desired;
    return fleet.has(entry.deviceId) && desired?.fanSpeed === value;
  });
}

const secondsFromNow = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

describe('scheduled jobs', () => {
  it('a job scheduled 5 s ahead waits pending with its next start, and starts then', async () => {
    const fleet = await createFleet(api, hub, { label: 'scheduled', count: 3 });
    const jobId = uniqueId('scheduled');
    const startAt = secondsFromNow(5);
    const created = await api.put(`/api/jobs/${jobId}`, {
      displayName: 'Fan speed at five',
      deviceSet: fleet.deviceSet,
      operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
      schedule: { startAt },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'pending', schedule: { startAt }, nextStartAt: startAt });

    // The read model shows it waiting (unless the machine was so slow that its time already came).
    const waiting = await eventually(() => api.get(`/api/jobs/${jobId}`), (r) => r.status === 200, 30_000, 'the job in the read model');
    if (Date.now() < Date.parse(startAt)) {
      expect(waiting.body).toMatchObject({ status: 'pending', nextStartAt: startAt, counts: { total: 0 } });
    }

    const job = await waitForJobEnd(api, jobId);
    expect(job).toMatchObject({ status: 'completed', counts: { total: 3, completed: 3 }, nextStartAt: null, schedule: { startAt } });
    expect(Date.parse(job.startedAt)).toBeGreaterThanOrEqual(Date.parse(startAt));
    const patches = await fanSpeedPatches(fleet.deviceIds, 5);
    expect(new Set(patches.map((patch) => patch.deviceId)).size).toBe(3);
    // Nothing of it reached the hub before its start.
    expect(patches.filter((patch) => Date.parse(patch.receivedAt) < Date.parse(startAt))).toEqual([]);

    // The same request again answers the same job, although its start has passed.
    const again = await api.put(`/api/jobs/${jobId}`, {
      displayName: 'Fan speed at five',
      deviceSet: fleet.deviceSet,
      operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
      schedule: { startAt },
    });
    expect(again.status).toBe(200);
    // A rerun runs at once: the start has passed.
    const rerun = await api.post(`/api/jobs/${jobId}/rerun`, { devices: 'all' });
    expect(rerun.status).toBe(201);
    expect(rerun.body).toMatchObject({ rerunOf: jobId, nextStartAt: null });
    expect(rerun.body.schedule).toBeUndefined();
    expect(await waitForJobEnd(api, rerun.body.id)).toMatchObject({ status: 'completed', counts: { completed: 3 } });
  });

  it('a scheduled job stopped before its start ends stopped and never reaches a device', async () => {
    const fleet = await createFleet(api, hub, { label: 'scheduled-stop', count: 2 });
    const jobId = uniqueId('scheduled-stop');
    const created = await api.put(`/api/jobs/${jobId}`, {
      displayName: 'Never',
      deviceSet: fleet.deviceSet,
      operations: [{ type: 'setting', name: 'fanSpeed', value: 9 }],
      schedule: { startAt: secondsFromNow(3600) },
    });
    expect(created.status).toBe(201);
    const stopped = await api.post(`/api/jobs/${jobId}/stop`);
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({ status: 'stopped', nextStartAt: null });
    const job = await eventually(() => api.get(`/api/jobs/${jobId}`), (r) => r.status === 200 && r.body.settledAt !== null, 60_000, 'the stopped job to settle');
    expect(job.body).toMatchObject({ status: 'stopped', counts: { total: 0 } });
    expect(await fanSpeedPatches(fleet.deviceIds, 9)).toEqual([]);
  });

  it('a job with a maintenance window starts its devices only inside it; outside one they stay pending', async () => {
    const fleet = await createFleet(api, hub, { label: 'windowed', count: 3 });
    const other = await createFleet(api, hub, { label: 'outside', count: 3 });
    // A window (in UTC, every day) that opens a few seconds from now, and one that opened an hour ago and is closed.
    const opensAt = new Date(Math.ceil((Date.now() + 6000) / 1000) * 1000);
    const timeOfDay = (instant: Date) => instant.toISOString().slice(11, 19);
    const soon = { start: timeOfDay(opensAt), end: timeOfDay(new Date(opensAt.getTime() + 3_600_000)), timeZone: 'UTC' };
    const closed = { start: timeOfDay(new Date(Date.now() - 3_600_000)), end: timeOfDay(new Date(Date.now() - 1_800_000)), timeZone: 'UTC' };
    const windowed = uniqueId('windowed');
    const outside = uniqueId('outside');
    const body = (value: number, window: object, deviceSet = fleet.deviceSet) => ({
      displayName: `Fan speed ${value} in a window`,
      deviceSet,
      operations: [{ type: 'setting', name: 'fanSpeed', value }],
      schedule: { windows: [window] },
    });
    const created = await api.put(`/api/jobs/${windowed}`, body(3, soon));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ schedule: { windows: [soon] }, nextStartAt: null });
    expect((await api.put(`/api/jobs/${outside}`, body(4, closed, other.deviceSet))).status).toBe(201);

    // The job starts at once (its targets are known), but its devices wait for the window.
    const running = await eventually(() => api.get(`/api/jobs/${windowed}`), (r) => r.status === 200 && r.body.status !== 'pending' && r.body.counts.total === 3, 60_000, 'the windowed job started');
    if (Date.now() < opensAt.getTime()) expect(running.body).toMatchObject({ status: 'running', counts: { pending: 3 } });

    expect(await waitForJobEnd(api, windowed)).toMatchObject({ status: 'completed', counts: { completed: 3 } });
    const patches = await fanSpeedPatches(fleet.deviceIds, 3);
    expect(new Set(patches.map((patch) => patch.deviceId)).size).toBe(3);
    expect(patches.filter((patch) => Date.parse(patch.receivedAt) < opensAt.getTime())).toEqual([]);

    // Meanwhile the job whose window is closed started none of its devices.
    expect((await api.get(`/api/jobs/${outside}`)).body).toMatchObject({ status: 'running', counts: { total: 3, pending: 3, completed: 0 } });
    expect(await fanSpeedPatches(other.deviceIds, 4)).toEqual([]);
    expect((await api.post(`/api/jobs/${outside}/stop`)).status).toBe(200);
  });

  it('refuses bad windows, naming the field', async () => {
    const fleet = await createFleet(api, hub, { label: 'windowed-bad', count: 1 });
    const cases: [object, string][] = [
      [{ start: '25:00', end: '04:00', timeZone: 'UTC' }, 'schedule.windows[0].start'],
      [{ start: '02:00', end: '02:00', timeZone: 'UTC' }, 'schedule.windows[0].end'],
      [{ start: '02:00', end: '04:00', timeZone: 'Mars/Olympus' }, 'schedule.windows[0].timeZone'],
      [{ days: ['someday'], start: '02:00', end: '04:00', timeZone: 'UTC' }, 'schedule.windows[0].days'],
    ];
    for (const [window, field] of cases) {
      const jobId = uniqueId('windowed-bad');
      const refused = await api.put(`/api/jobs/${jobId}`, {
        displayName: 'Bad window',
        deviceSet: fleet.deviceSet,
        operations: [{ type: 'setting', name: 'fanSpeed', value: 1 }],
        schedule: { windows: [window] },
      });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: expect.stringContaining(field) })]);
    }
  });

  it('refuses a start in the past or without a zone, naming schedule.startAt, and creates nothing', async () => {
    const fleet = await createFleet(api, hub, { label: 'scheduled-bad', count: 1 });
    for (const startAt of [new Date(Date.now() - 60_000).toISOString(), '2030-01-31T02:00:00', 'tomorrow']) {
      const jobId = uniqueId('scheduled-bad');
      const refused = await api.put(`/api/jobs/${jobId}`, {
        displayName: 'Bad start',
        deviceSet: fleet.deviceSet,
        operations: [{ type: 'setting', name: 'fanSpeed', value: 1 }],
        schedule: { startAt },
      });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'schedule.startAt' })]);
      expect((await api.get(`/api/jobs/${jobId}`)).status).toBe(404);
    }
  });
});
