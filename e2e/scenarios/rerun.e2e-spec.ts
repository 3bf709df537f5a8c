import { uniqueId } from '../support/fleetjobs.client';
import { createFleet, waitForJobEnd } from '../support/fleet.fixture';
import { allHubOperations } from '../support/hub-operations';
import { systemUnderTest } from '../support/system-under-test';

const { api, hub } = systemUnderTest();

afterAll(() => hub.close());

const reboot = [{ type: 'command', name: 'reboot', value: { delay: 1 } }];

describe('rerun and copy of a job', () => {
  it('reruns a job on exactly its failed devices, as a new job linked to the original; copy answers its definition', async () => {
    const fleet = await createFleet(api, hub, {
      label: 'rerun',
      count: 6,
      simulator: (index) => (index % 2 === 1 ? { failCommands: ['reboot'] } : undefined),
    });
    const failing = fleet.deviceIds.filter((_, index) => index % 2 === 1).sort();
    const original = uniqueId('job-rerun-original');
    expect((await api.put(`/api/jobs/${original}`, { displayName: 'Reboot', description: 'Nightly', deviceSet: fleet.deviceSet, operations: reboot })).status).toBe(201);
    expect(await waitForJobEnd(api, original)).toMatchObject({ status: 'failed', counts: { total: 6, completed: 3, failed: 3 } });
    const failed = (await api.all(`/api/jobs/${original}/devices?status=failed`)).map((device) => device.deviceId).sort();
    expect(failed).toEqual(failing);

    const rerunId = uniqueId('job-rerun');
    const rerun = await api.post(`/api/jobs/${original}/rerun`, { id: rerunId, devices: 'failed' });
    expect(rerun.status).toBe(201);
    expect(rerun.body).toMatchObject({ id: rerunId, deviceSet: fleet.deviceSet, devices: failing, operations: reboot, rerunOf: original });
    const ended = await waitForJobEnd(api, rerunId);
    expect(ended).toMatchObject({ rerunOf: original, devices: failing, counts: { total: 3, failed: 3, completed: 0 } });
    expect((await api.all(`/api/jobs/${rerunId}/devices`)).map((device) => device.deviceId).sort()).toEqual(failing);
    // The hub was asked to reboot the failed devices once more, and nothing else.
    const rebooted = (await allHubOperations(hub, { kind: 'method' })).filter((call) => fleet.deviceIds.includes(call.deviceId));
    const count = (deviceId: string) => rebooted.filter((call) => call.deviceId === deviceId).length;
    expect(fleet.deviceIds.map(count)).toEqual(fleet.deviceIds.map((id) => (failing.includes(id) ? 2 : 1)));
    expect((await api.get(`/api/jobs/${original}`)).body).toMatchObject({ rerunOf: null, status: 'failed' });

    const copy = await api.post(`/api/jobs/${original}/copy`);
    expect(copy).toMatchObject({ status: 200, body: { displayName: 'Reboot', description: 'Nightly', deviceSet: fleet.deviceSet, operations: reboot } });
    expect(copy.body).not.toHaveProperty('devices');
  });

  it('refuses a rerun of a running job (409), of an unknown one (404), and of devices the original did not target (422)', async () => {
    const fleet = await createFleet(api, hub, { label: 'rerun-refused', count: 2, simulator: () => ({ latencyMs: 8_000 }) });
    const running = uniqueId('job-rerun-running');
    expect((await api.put(`/api/jobs/${running}`, { displayName: 'Slow', deviceSet: fleet.deviceSet, devices: [fleet.deviceIds[0]], operations: reboot })).status).toBe(201);
    expect((await api.post(`/api/jobs/${running}/rerun`, { devices: 'all' })).status).toBe(409);
    expect((await api.post(`/api/jobs/${uniqueId('nobody')}/rerun`, { devices: 'all' })).status).toBe(404);
    expect((await api.post(`/api/jobs/${running}/stop`)).status).toBe(200);
    const outside = await api.post(`/api/jobs/${running}/rerun`, { devices: [fleet.deviceIds[1]] });
    expect(outside.status).toBe(422);
    expect(outside.body.errors).toEqual([expect.objectContaining({ field: 'devices[0]' })]);
  });
});
