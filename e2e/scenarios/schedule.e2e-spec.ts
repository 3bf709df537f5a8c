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
