import { eventually, uniqueId } from '../support/fleetjobs.client';
import { createFleet, waitForJobEnd } from '../support/fleet.fixture';
import { systemUnderTest } from '../support/system-under-test';

const { api, hub } = systemUnderTest();

afterAll(() => hub.close());

const FAN_SPEED = { type: 'setting', name: 'fanSpeed', value: 4 } as const;
const LOCATION = { type: 'property', name: 'location', value: 'Seattle' } as const;
const REBOOT = { type: 'command', name: 'reboot', value: { delay: 1 } } as const;

/** The answer's overlap with `jobId`, if any. */
const overlapWith = (preview: { overlaps: { jobId: string }[] }, jobId: string) => preview.overlaps.find((overlap) => overlap.jobId === jobId);

describe('preview of a job before it runs', () => {
  it('counts the devices per template that the job then targets, with an ETA under its rollout', async () => {
    const fleet = await createFleet(api, hub, { label: 'preview-count', count: 12 });
    const body = {
      displayName: 'Previewed, then run',
      deviceSet: fleet.deviceSet,
      operations: [LOCATION],
      rollout: { batches: { size: 5 }, pauseBetweenSeconds: 1, rate: { perMinute: 600 } },
    };
    const preview = await api.post('/api/jobs/preview', body);
    expect(preview.status).toBe(200);
    expect(preview.body.targets).toEqual({ total: 12, byTemplate: [{ template: fleet.template, devices: 12 }] });
    // A property costs a twin read (its previous value is kept for a revert) and a twin patch.
    expect(preview.body.eta).toMatchObject({ batches: 3, pauseSeconds: 2, requestsPerDevice: 2 });
    expect(preview.body.eta.seconds).toBeGreaterThanOrEqual(3.2);

    const jobId = uniqueId('preview-count');
    expect((await api.put(`/api/jobs/${jobId}`, body)).status).toBe(201);
    const ended = await waitForJobEnd(api, jobId);
    expect(ended.counts.total).toBe(preview.body.targets.total);
    const targeted = (await api.all(`/api/jobs/${jobId}/devices`)).map((device) => device.deviceId as string).sort();
    expect(targeted).toEqual([...fleet.deviceIds].sort());
    const templates = new Set(await Promise.all(targeted.map(async (id) => (await api.get(`/api/devices/${id}`)).body.template as string)));
    expect([...templates]).toEqual(preview.body.targets.byTemplate.map((entry: { template: string }) => entry.template));

    const chosen = fleet.deviceIds.slice(0, 4);
    const subset = await api.post('/api/jobs/preview', { ...body, devices: chosen, rollout: undefined });
    expect(subset.body.targets).toEqual({ total: 4, byTemplate: [{ template: fleet.template, devices: 4 }] });
  });

  it('names a paused job on the same devices with the exact shared count and the setting both write', async () => {
    const fleet = await createFleet(api, hub, { label: 'preview-overlap', count: 20 });
    const pausedId = uniqueId('preview-paused');
    const pausedDevices = fleet.deviceIds.slice(0, 10);
    // One device a minute: the job is still running, a device or two in, when it is paused.
    const created = await api.put(`/api/jobs/${pausedId}`, {
      displayName: 'Slow fan change',
      deviceSet: fleet.deviceSet,
      devices: pausedDevices,
      operations: [FAN_SPEED],
      rollout: { rate: { perMinute: 1 } },
    });
    expect(created.status).toBe(201);
    expect((await api.post(`/api/jobs/${pausedId}/pause`)).status).toBe(200);
    await eventually(
      async () => ({ job: (await api.get(`/api/jobs/${pausedId}`)).body, devices: await api.all(`/api/jobs/${pausedId}/devices`) }),
      ({ job, devices }) => job.status === 'paused' && devices.length === pausedDevices.length,
      60_000,
      'the paused job and its ten devices in the read model',
    );

    const setWide = await api.post('/api/jobs/preview', { displayName: 'Fan and place', deviceSet: fleet.deviceSet, operations: [FAN_SPEED, LOCATION] });
    expect(setWide.status).toBe(200);
    expect(setWide.body.targets.total).toBe(20);
    expect(overlapWith(setWide.body, pausedId)).toEqual({
      jobId: pausedId,
      displayName: 'Slow fan change',
      status: 'paused',
      sharedDevices: 10,
      sameWrites: [{ type: 'setting', name: 'fanSpeed' }],
    });

    // Devices 5 to 14: five of them are the paused job's; a reboot writes nothing it writes.
    const partly = await api.post('/api/jobs/preview', {
      displayName: 'Reboot some',
      deviceSet: fleet.deviceSet,
      devices: fleet.deviceIds.slice(5, 15),
      operations: [REBOOT],
    });
    expect(overlapWith(partly.body, pausedId)).toMatchObject({ sharedDevices: 5, sameWrites: [] });
    const apart = await api.post('/api/jobs/preview', { displayName: 'Others', deviceSet: fleet.deviceSet, devices: fleet.deviceIds.slice(10), operations: [FAN_SPEED] });
    expect(overlapWith(apart.body, pausedId)).toBeUndefined();

    // Once stopped, the job overlaps with nothing any more.
    expect((await api.post(`/api/jobs/${pausedId}/stop`)).status).toBe(200);
    await eventually(
      async () => (await api.post('/api/jobs/preview', { displayName: 'Again', deviceSet: fleet.deviceSet, operations: [FAN_SPEED] })).body,
      (preview) => overlapWith(preview, pausedId) === undefined,
      60_000,
      'the stopped job to leave the overlaps',
    );
  });

  it('refuses an invalid body with the same 4xx as creating it', async () => {
    const fleet = await createFleet(api, hub, { label: 'preview-invalid', count: 2, waitForHub: false });
    const bodies = [
      { displayName: 'Unknown operation', deviceSet: fleet.deviceSet, operations: [{ type: 'setting', name: 'colour', value: 1 }] },
      { displayName: 'Wrong schema', deviceSet: fleet.deviceSet, operations: [{ type: 'setting', name: 'fanSpeed', value: 'fast' }] },
      { displayName: 'Unknown set', deviceSet: uniqueId('no-set'), operations: [FAN_SPEED] },
      { displayName: 'Outsider', deviceSet: fleet.deviceSet, devices: [uniqueId('outsider')], operations: [FAN_SPEED] },
      { displayName: 'Big batch', deviceSet: fleet.deviceSet, operations: [FAN_SPEED], rollout: { batches: { size: 3 } } },
      { displayName: 'Extra field', deviceSet: fleet.deviceSet, operations: [FAN_SPEED], colour: 'red' },
    ];
    for (const body of bodies) {
      const preview = await api.post('/api/jobs/preview', body);
      const create = await api.put(`/api/jobs/${uniqueId('preview-invalid')}`, body);
      expect(create.status).toBeGreaterThanOrEqual(400);
      expect(create.status).toBeLessThan(500);
      expect({ body: body.displayName, status: preview.status, errors: preview.body.errors }).toEqual({
        body: body.displayName,
        status: create.status,
        errors: create.body.errors,
      });
    }
  });

  it('creates nothing: the id stays unknown and no event names it', async () => {
    const fleet = await createFleet(api, hub, { label: 'preview-nothing', count: 3, waitForHub: false });
    const previewed = uniqueId('preview-only');
    const preview = await api.post('/api/jobs/preview', { id: previewed, displayName: 'Only a look', deviceSet: fleet.deviceSet, operations: [LOCATION] });
    expect(preview.status).toBe(200);
    // A job created after the preview: once its creation is in the audit trail, a creation before it would be too.
    const after = uniqueId('preview-after');
    expect((await api.put(`/api/jobs/${after}`, { displayName: 'After', deviceSet: fleet.deviceSet, operations: [LOCATION] })).status).toBe(201);
    await eventually(
      async () => (await api.get(`/api/audit?subject=${after}`)).body.value as unknown[],
      (entries) => entries.length > 0,
      60_000,
      'the later job in the audit trail',
    );
    await waitForJobEnd(api, after);
    expect((await api.get(`/api/jobs/${previewed}`)).status).toBe(404);
    expect((await api.get(`/api/audit?subject=${previewed}`)).body.value).toEqual([]);
  });
});
