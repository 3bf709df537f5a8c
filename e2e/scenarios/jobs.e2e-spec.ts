import { eventually, uniqueId } from '../support/fleetjobs.client';
import { createFleet, waitForJobEnd } from '../support/fleet.fixture';
import { allHubOperations } from '../support/hub-operations';
import { systemUnderTest } from '../support/system-under-test';

const { api, hub } = systemUnderTest();

afterAll(() => hub.close());


function operationsReceived(deviceId: string) {
  return hub.operations({ deviceId });
}

async function methodCallsOf(deviceIds: string[]) {
  const fleet = new Set(deviceIds);
  return (await allHubOperations(hub, { kind: 'method' })).filter((call) => fleet.has(call.deviceId));
}

describe('jobs of each kind', () => {
  it('runs a setting on every device of a set, each acknowledged', async () => {
    const fleet = await createFleet(api, hub, { label: 'setting', count: 5 });
    const jobId = uniqueId('job-setting');
    const created = await api.put(`/api/jobs/${jobId}`, {
      displayName: 'Raise fan speed',
      description: 'Hot week',
      deviceSet: fleet.deviceSet,
      operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: jobId, status: 'pending', deviceSet: fleet.deviceSet, devices: null });
    const job = await waitForJobEnd(api, jobId);
    expect(job).toMatchObject({ status: 'completed', counts: { total: 5, pending: 0, completed: 5, failed: 0 } });
    expect(job.startedAt).toEqual(expect.any(String));
    expect(job.endedAt).toEqual(expect.any(String));
    const devices = await api.all(`/api/jobs/${jobId}/devices`);
    expect(devices.map((d) => d.deviceId).sort()).toEqual(fleet.deviceIds);
    expect(devices.every((d) => d.status === 'completed' && d.error === null && d.deleted === false)).toBe(true);
    const twin = await hub.request('GET', `/twins/${fleet.deviceIds[0]}?api-version=2021-04-12`);
    expect((twin.body as any).properties.desired.fanSpeed).toBe(5);
  });

  it('runs a property and a command on a chosen subset only', async () => {
    const fleet = await createFleet(api, hub, { label: 'subset', count: 6 });
    const chosen = [fleet.deviceIds[1], fleet.deviceIds[4]];
    const jobId = uniqueId('job-subset');
    expect((await api.put(`/api/jobs/${jobId}`, {
      displayName: 'Move and reboot',
      deviceSet: fleet.deviceSet,
      devices: chosen,
      operations: [
        { type: 'property', name: 'location', value: 'Pike Place' },
        { type: 'command', name: 'reboot', value: { delay: 1 } },
      ],
    })).status).toBe(201);
    const job = await waitForJobEnd(api, jobId);
    expect(job).toMatchObject({ status: 'completed', devices: chosen, counts: { total: 2, completed: 2, failed: 0, pending: 0 } });
    const received = await operationsReceived(chosen[0]);
    expect(received.map((op) => op.kind)).toEqual(expect.arrayContaining(['twin-patch', 'method']));
    expect((await operationsReceived(fleet.deviceIds[0])).filter((op) => op.kind !== 'registry')).toHaveLength(0);
  });

  it('fails devices with the reason, and fails the job saying how many', async () => {
    const fleet = await createFleet(api, hub, {
      label: 'failures',
      count: 4,
      simulator: (index) => [{ online: false }, { failCommands: ['reboot'] }, { failCommands: '*' }, undefined][index],
    });
    const jobId = uniqueId('job-fail');
    await api.put(`/api/jobs/${jobId}`, { displayName: 'Reboot', deviceSet: fleet.deviceSet, operations: [{ type: 'command', name: 'reboot', value: {} }] });
    const job = await waitForJobEnd(api, jobId);
    expect(job).toMatchObject({ status: 'failed', counts: { total: 4, completed: 1, failed: 3, pending: 0 } });
    expect(job.error).toMatch(/3 of 4 devices failed/);
    const failed = await api.all(`/api/jobs/${jobId}/devices?status=failed`);
    expect(failed).toHaveLength(3);
    const byId = Object.fromEntries(failed.map((d) => [d.deviceId, d.error]));
    expect(byId[fleet.deviceIds[0]]).toMatch(/offline/);
    expect(byId[fleet.deviceIds[1]]).toMatch(/reboot failed/);
  });

  it('fails a setting the device rejects or never acknowledges, with a message that says so', async () => {
    const fleet = await createFleet(api, hub, {
      label: 'ack',
      count: 3,
      simulator: (index) => [{ rejectSettings: true }, { latencyMs: 60_000 }, { online: false }][index],
    });
    const jobId = uniqueId('job-ack');
    await api.put(`/api/jobs/${jobId}`, { displayName: 'Fan', deviceSet: fleet.deviceSet, operations: [{ type: 'setting', name: 'fanSpeed', value: 2 }] });
    await waitForJobEnd(api, jobId);
    const devices = Object.fromEntries((await api.all(`/api/jobs/${jobId}/devices`)).map((d) => [d.deviceId, d]));
    expect(devices[fleet.deviceIds[0]].error).toMatch(/rejected/);
    expect(devices[fleet.deviceIds[1]].error).toMatch(/did not acknowledge/);
    expect(devices[fleet.deviceIds[2]].error).toMatch(/offline/);
  });
});

describe('stop', () => {
  it('answers once nothing more starts; reached devices are recorded, the rest stay pending, for good', async () => {
    const fleet = await createFleet(api, hub, { label: 'stop', count: 600, simulator: () => ({ latencyMs: 1000 }) });
    const jobId = uniqueId('job-stop');
    await api.put(`/api/jobs/${jobId}`, { displayName: 'Slow reboot', deviceSet: fleet.deviceSet, operations: [{ type: 'command', name: 'reboot', value: {} }] });
    await eventually(() => api.get(`/api/jobs/${jobId}`), (r) => r.body?.counts?.completed > 0, 60_000, 'some devices done');
    const stopped = await api.post(`/api/jobs/${jobId}/stop`);
    // Two marks: the second is read in a later turn of the hub's event loop than anything sent before the answer.
    await hub.arrivalMark();
    const answeredAt = Date.parse(await hub.arrivalMark());
    expect(stopped.status).toBe(200);
    expect(stopped.body.status).toBe('stopped');
    const job = await eventually(() => api.get(`/api/jobs/${jobId}`), (r) => r.body.status === 'stopped', 30_000, 'stopped in the read model');
    expect(job.body.counts.pending).toBeGreaterThan(0);
    // Every reached device ends recorded; then the calls the hub saw must be exactly those.
    const settled = await eventually(
      async () => ({ job: (await api.get(`/api/jobs/${jobId}`)).body, calls: await methodCallsOf(fleet.deviceIds) }),
      ({ job: current, calls }) => current.counts.completed + current.counts.failed === calls.length,
      30_000,
      'in-flight operations recorded',
    );
    // Nothing of the job reached the hub after the answer.
    expect(settled.calls.filter((call) => Date.parse(call.receivedAt) > answeredAt)).toEqual([]);
    expect(settled.job.counts.pending).toBe(fleet.deviceIds.length - settled.calls.length);
    const reached = new Set(settled.calls.map((call) => call.deviceId));
    const rows = await api.all(`/api/jobs/${jobId}/devices`);
    expect(rows.filter((row) => row.status === 'pending').every((row) => !reached.has(row.deviceId))).toBe(true);
    expect((await api.post(`/api/jobs/${jobId}/stop`)).status).toBe(200);
    expect((await api.get(`/api/jobs/${jobId}`)).body.status).toBe('stopped');
  });

  it('refuses to stop an ended job, and a job that does not exist', async () => {
    const fleet = await createFleet(api, hub, { label: 'ended', count: 1 });
    const jobId = uniqueId('job-ended');
    await api.put(`/api/jobs/${jobId}`, { displayName: 'Quick', deviceSet: fleet.deviceSet, operations: [{ type: 'property', name: 'location', value: 'x' }] });
    await waitForJobEnd(api, jobId);
    expect((await api.post(`/api/jobs/${jobId}/stop`)).status).toBe(409);
    expect((await api.post(`/api/jobs/${uniqueId('nope')}/stop`)).status).toBe(404);
  });
});

describe('devices and sets that change', () => {
  it('keeps a device deleted after the job started in the list, marked deleted, with its id', async () => {
    const fleet = await createFleet(api, hub, { label: 'deleted', count: 3 });
    const jobId = uniqueId('job-deleted');
    await api.put(`/api/jobs/${jobId}`, { displayName: 'Loc', deviceSet: fleet.deviceSet, operations: [{ type: 'property', name: 'location', value: 'y' }] });
    await waitForJobEnd(api, jobId);
    expect((await api.delete(`/api/devices/${fleet.deviceIds[0]}`)).status).toBe(204);
    const devices = await eventually(() => api.all(`/api/jobs/${jobId}/devices`), (list) => list.some((d) => d.deleted), 30_000, 'device marked deleted');
    expect(devices).toHaveLength(3);
    expect(devices.find((d) => d.deviceId === fleet.deviceIds[0])).toMatchObject({ deleted: true });
    expect(devices.filter((d) => d.deleted)).toHaveLength(1);
  });

  it('a broken set says why, lists no devices and cannot start a job', async () => {
    const fleet = await createFleet(api, hub, { label: 'broken', count: 2 });
    expect((await api.delete(`/api/device-templates/${fleet.template}`)).status).toBe(204);
    const set = await api.get(`/api/device-sets/${fleet.deviceSet}`);
    expect(set.body).toMatchObject({ broken: true, brokenReason: expect.stringContaining(fleet.template) });
    const members = await api.get(`/api/device-sets/${fleet.deviceSet}/devices`);
    expect(members.status).toBe(409);
    expect(members.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const refused = await api.put(`/api/jobs/${uniqueId('job-broken')}`, { displayName: 'x', deviceSet: fleet.deviceSet, operations: [{ type: 'property', name: 'location', value: 'z' }] });
    expect(refused.status).toBe(409);
    expect(refused.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'deviceSet' })]));
  });
});

describe('the jobs list and idempotence', () => {
  it('repeating the same PUT is harmless; another body under the same id is 409', async () => {
    const fleet = await createFleet(api, hub, { label: 'idem', count: 2 });
    const jobId = uniqueId('job-idem');
    const body = { displayName: 'Idem', deviceSet: fleet.deviceSet, operations: [{ type: 'property', name: 'location', value: 'a' }] };
    expect((await api.put(`/api/jobs/${jobId}`, body)).status).toBe(201);
    const readAtOnce = await api.get(`/api/jobs/${jobId}`);
    expect(readAtOnce.status).toBe(200);
    expect(readAtOnce.body).toMatchObject({ id: jobId, displayName: 'Idem', counts: expect.any(Object) });
    expect((await api.get(`/api/jobs/${jobId}/devices`)).status).toBe(200);
    expect((await api.put(`/api/jobs/${jobId}`, body)).status).toBe(200);
    const other = await api.put(`/api/jobs/${jobId}`, { ...body, displayName: 'Other' });
    expect(other.status).toBe(409);
    const job = await waitForJobEnd(api, jobId);
    expect(job.counts.completed).toBe(2);
    const posted = await api.post('/api/jobs', body);
    expect(posted.status).toBe(201);
    expect(posted.body.id).toEqual(expect.any(String));
  });

  it('lists running jobs first, then the rest newest first', async () => {
    const fleet = await createFleet(api, hub, { label: 'order', count: 30, simulator: () => ({ latencyMs: 2000 }) });
    const quick = await createFleet(api, hub, { label: 'order-quick', count: 1 });
    const older = uniqueId('job-older');
    await api.put(`/api/jobs/${older}`, { displayName: 'Older', deviceSet: quick.deviceSet, operations: [{ type: 'property', name: 'location', value: 'o' }] });
    await waitForJobEnd(api, older);
    const running = uniqueId('job-running');
    await api.put(`/api/jobs/${running}`, { displayName: 'Long', deviceSet: fleet.deviceSet, operations: [{ type: 'command', name: 'reboot', value: {} }] });
    const newer = uniqueId('job-newer');
    await api.put(`/api/jobs/${newer}`, { displayName: 'Newer', deviceSet: quick.deviceSet, operations: [{ type: 'property', name: 'location', value: 'n' }] });
    await waitForJobEnd(api, newer);
    await eventually(() => api.get(`/api/jobs/${running}`), (r) => r.body?.status === 'running', 30_000, 'long job running');
    const list = await api.get('/api/jobs?limit=1000');
    const ids = list.body.value.map((job: any) => job.id);
    const firstEnded = list.body.value.findIndex((job: any) => !['pending', 'running'].includes(job.status));
    expect(list.body.value.slice(firstEnded).every((job: any) => !['pending', 'running'].includes(job.status))).toBe(true);
    expect(ids.indexOf(running)).toBeLessThan(firstEnded);
    expect(ids.indexOf(newer)).toBeLessThan(ids.indexOf(older));
    const onlyRunning = await api.get('/api/jobs?status=running');
    expect(onlyRunning.body.value.every((job: any) => job.status === 'running')).toBe(true);
    await api.post(`/api/jobs/${running}/stop`);
  });

  it('a 3-device job is not held behind a running large one', async () => {
    const big = await createFleet(api, hub, { label: 'big', count: 2000, simulator: () => ({ latencyMs: 200 }) });
    const small = await createFleet(api, hub, { label: 'small', count: 3 });
    const bigJob = uniqueId('job-big');
    await api.put(`/api/jobs/${bigJob}`, { displayName: 'Big', deviceSet: big.deviceSet, operations: [{ type: 'command', name: 'reboot', value: {} }] });
    await eventually(() => api.get(`/api/jobs/${bigJob}`), (r) => r.body?.counts?.completed > 0, 60_000, 'big job under way');
    const smallJob = uniqueId('job-small');
    await api.put(`/api/jobs/${smallJob}`, { displayName: 'Small', deviceSet: small.deviceSet, operations: [{ type: 'command', name: 'reboot', value: {} }] });
    const done = await waitForJobEnd(api, smallJob, 60_000);
    expect(done.status).toBe('completed');
    const bigNow = await api.get(`/api/jobs/${bigJob}`);
    expect(bigNow.body.status).toBe('running');
    expect(bigNow.body.counts.pending).toBeGreaterThan(0);
    await api.post(`/api/jobs/${bigJob}/stop`);
  });
});
