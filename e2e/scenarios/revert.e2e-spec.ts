import { uniqueId } from '../support/fleetjobs.client';
import { createFleet, waitForJobEnd } from '../support/fleet.fixture';
import { systemUnderTest } from '../support/system-under-test';

const { api, hub } = systemUnderTest();

afterAll(() => hub.close());

/** The device's property tag and desired setting, as the hub's twin holds them. */
async function twinValues(deviceId: string): Promise<{ location: unknown; fanSpeed: unknown }> {
  const twin = (await hub.request('GET', `/twins/${encodeURIComponent(deviceId)}?api-version=2021-04-12`)).body as any;
  return { location: twin.tags?.properties?.location, fanSpeed: twin.properties?.desired?.fanSpeed };
}

const writes = (location: string, fanSpeed: number) => [
  { type: 'property', name: 'location', value: location },
  { type: 'setting', name: 'fanSpeed', value: fanSpeed },
];

describe('revert of a property and setting job', () => {
  it("puts back each device's previous values on the hub's twins, removes a property that had none, and lists a setting that had none as not revertible", async () => {
    const fleet = await createFleet(api, hub, { label: 'revert', count: 3 });
    const [seattle, portland, fresh] = fleet.deviceIds;
    // Before: two devices have their own values, the third has neither.
    for (const [deviceId, location, fanSpeed] of [[seattle, 'Seattle', 2], [portland, 'Portland', 3]] as const) {
      const before = uniqueId('job-revert-before');
      expect((await api.put(`/api/jobs/${before}`, { displayName: 'Before', deviceSet: fleet.deviceSet, devices: [deviceId], operations: writes(location, fanSpeed) })).status).toBe(201);
      expect(await waitForJobEnd(api, before)).toMatchObject({ status: 'completed' });
    }
    const original = uniqueId('job-revert-original');
    expect((await api.put(`/api/jobs/${original}`, { displayName: 'Move to Berlin', deviceSet: fleet.deviceSet, operations: writes('Berlin', 5) })).status).toBe(201);
    expect(await waitForJobEnd(api, original)).toMatchObject({ status: 'completed', counts: { total: 3, completed: 3 } });
    for (const deviceId of fleet.deviceIds) expect(await twinValues(deviceId)).toEqual({ location: 'Berlin', fanSpeed: 5 });

    const revertId = uniqueId('job-revert');
    const revert = await api.post(`/api/jobs/${original}/revert`, { id: revertId });
    expect(revert.status).toBe(201);
    expect(revert.body).toMatchObject({ id: revertId, displayName: 'Revert: Move to Berlin', deviceSet: fleet.deviceSet, devices: null, operations: writes('Berlin', 5), revertOf: original });
    // The same request again answers the job it created.
    expect(await api.post(`/api/jobs/${original}/revert`, { id: revertId })).toMatchObject({ status: 200, body: { id: revertId } });
    expect(await waitForJobEnd(api, revertId)).toMatchObject({ status: 'failed', revertOf: original, counts: { total: 3, completed: 2, failed: 1 } });
    expect((await api.get(`/api/jobs/${original}`)).body).not.toHaveProperty('revertOf');

    expect(await twinValues(seattle)).toEqual({ location: 'Seattle', fanSpeed: 2 });
    expect(await twinValues(portland)).toEqual({ location: 'Portland', fanSpeed: 3 });
    expect(await twinValues(fresh)).toEqual({ location: undefined, fanSpeed: 5 });
    const outcomes = await api.all(`/api/jobs/${revertId}/devices`);
    expect(outcomes.find((device) => device.deviceId === fresh)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^not revertible: setting fanSpeed had no value before job/),
    });

    // A revert is a job like any other: reverting it writes the original's values again.
    const again = uniqueId('job-revert-again');
    expect((await api.post(`/api/jobs/${revertId}/revert`, { id: again })).status).toBe(201);
    expect(await waitForJobEnd(api, again)).toMatchObject({ counts: { total: 3 } });
    expect(await twinValues(seattle)).toEqual({ location: 'Berlin', fanSpeed: 5 });
    expect(await twinValues(fresh)).toEqual({ location: 'Berlin', fanSpeed: 5 });
  });

  it('refuses to revert an unknown job (404), a job still running (409) and a job of commands (409)', async () => {
    expect((await api.post(`/api/jobs/${uniqueId('nobody')}/revert`)).status).toBe(404);
    const fleet = await createFleet(api, hub, { label: 'revert-refused', count: 1, simulator: () => ({ latencyMs: 8_000 }) });
    const running = uniqueId('job-revert-running');
    expect((await api.put(`/api/jobs/${running}`, { displayName: 'Slow', deviceSet: fleet.deviceSet, operations: writes('Berlin', 5) })).status).toBe(201);
    const active = await api.post(`/api/jobs/${running}/revert`);
    expect(active.status).toBe(409);
    expect(active.body.detail).toMatch(/still (pending|running)/);
    expect((await api.post(`/api/jobs/${running}/stop`)).status).toBe(200);

    const reboot = uniqueId('job-revert-reboot');
    expect((await api.put(`/api/jobs/${reboot}`, { displayName: 'Reboot', deviceSet: fleet.deviceSet, operations: [{ type: 'command', name: 'reboot', value: {} }] })).status).toBe(201);
    await waitForJobEnd(api, reboot);
    const commands = await api.post(`/api/jobs/${reboot}/revert`);
    expect(commands.status).toBe(409);
    expect(commands.body.detail).toMatch(/writes no property or setting/);
  });
});
