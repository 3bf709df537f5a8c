import { eventually, uniqueId } from '../support/fleetjobs.client';
import { createFleet, waitForJobEnd } from '../support/fleet.fixture';
import { systemUnderTest } from '../support/system-under-test';

const { api, hub } = systemUnderTest();

afterAll(() => hub.close());

const fanSpeed = (value: number) => ({ type: 'setting', name: 'fanSpeed', value }) as const;

/**
 * Two active jobs writing the same setting on the same devices: the second is refused with 409
 * naming the first and the shared device count, unless it says `onConflict: allow` (it runs beside
 * the first) or `onConflict: queue` (it stays pending, waiting for the first, and runs once the
 * first has ended).
 */
describe('jobs writing the same setting on the same devices', () => {
  it('refuses the second with 409 naming the first, runs an allowed one beside it, and starts a queued one once the first ended', async () => {
    const fleet = await createFleet(api, hub, { label: 'conflict', count: 8 });
    const holderId = uniqueId('conflict-holder');
    const held = fleet.deviceIds.slice(0, 4);
    // One device a minute: the job stays running, holding its four devices, until it is stopped.
    const created = await api.put(`/api/jobs/${holderId}`, {
      displayName: 'Slow fan change',
      deviceSet: fleet.deviceSet,
      devices: held,
      operations: [fanSpeed(2)],
      rollout: { rate: { perMinute: 1 } },
    });
    expect(created.status).toBe(201);
    await eventually(
      async () => ({ job: (await api.get(`/api/jobs/${holderId}`)).body, devices: await api.all(`/api/jobs/${holderId}/devices`) }),
      ({ job, devices }) => job.status === 'running' && devices.length === held.length,
      60_000,
      'the running job and its four devices in the read model',
    );

    // Devices 2 to 5: two of them are the running job's.
    const overlapping = { displayName: 'Another fan change', deviceSet: fleet.deviceSet, devices: fleet.deviceIds.slice(2, 6), operations: [fanSpeed(3)] };
    const refusedId = uniqueId('conflict-refused');
    const refused = await api.put(`/api/jobs/${refusedId}`, overlapping);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain(holderId);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'onConflict' })]);
    expect(refused.body.conflicts).toEqual([
      { jobId: holderId, displayName: 'Slow fan change', status: 'running', sharedDevices: 2, sameWrites: [{ type: 'setting', name: 'fanSpeed' }] },
    ]);
    expect((await api.get(`/api/jobs/${refusedId}`)).status).toBe(404);

    const preview = await api.post('/api/jobs/preview', { ...overlapping, onConflict: 'queue' });
    expect(preview.body.conflict).toEqual({ onConflict: 'queue', outcome: 'queue', jobs: [holderId] });

    const allowedId = uniqueId('conflict-allowed');
    const allowed = await api.put(`/api/jobs/${allowedId}`, { ...overlapping, onConflict: 'allow' });
    expect(allowed.status).toBe(201);
    const allowedEnd = await waitForJobEnd(api, allowedId);
    expect(allowedEnd).toMatchObject({ status: 'completed', counts: { total: 4, completed: 4 } });
    expect((await api.get(`/api/jobs/${holderId}`)).body.status).toBe('running');

    const queuedId = uniqueId('conflict-queued');
    const queued = await api.put(`/api/jobs/${queuedId}`, { ...overlapping, displayName: 'Queued fan change', onConflict: 'queue' });
    expect(queued.status).toBe(201);
    expect(queued.body).toMatchObject({ status: 'pending', waitingFor: [holderId] });
    const waiting = await eventually(
      async () => (await api.get(`/api/jobs/${queuedId}`)).body,
      (job) => job.status === 'pending' && job.waitingFor?.length === 1,
      60_000,
      'the queued job pending in the read model, naming what it waits for',
    );
    expect(waiting).toMatchObject({ waitingFor: [holderId], counts: { total: 0 }, startedAt: null });

    expect((await api.post(`/api/jobs/${holderId}/stop`)).status).toBe(200);
    const queuedEnd = await waitForJobEnd(api, queuedId);
    expect(queuedEnd).toMatchObject({ status: 'completed', waitingFor: [], counts: { total: 4, completed: 4 } });
    const holderEnd = (await api.get(`/api/jobs/${holderId}`)).body;
    expect(holderEnd.status).toBe('stopped');
    expect(Date.parse(queuedEnd.startedAt)).toBeGreaterThanOrEqual(Date.parse(holderEnd.endedAt));
  });
});
