import { uniqueId } from '../support/fleetjobs.client';
import { createFleet, waitForJobEnd } from '../support/fleet.fixture';
import { systemUnderTest } from '../support/system-under-test';

const { api, hub } = systemUnderTest();

const DEVICES = 400;

afterAll(async () => {
  await hub.setThrottle(null);
  hub.close();
});

/** IoT Hub throttles each kind of operation at its tier's rate and answers 429 without Retry-After: Fleetjobs backs off on its own. */
describe("a job against an S1 hub's per-kind throttles", () => {
  it('completes on every device while the hub slows its twin writes down, refusing those beyond its queue', async () => {
    const fleet = await createFleet(api, hub, { label: 's1', count: DEVICES });
    await hub.setThrottle({ sku: 'S1', units: 1 });
    const before = (await hub.stats()).throttles;
    expect(before['twin-update']).toMatchObject({ ratePerSecond: 50, shaped: 0, refused: 0 });

    const jobId = uniqueId('job-s1');
    const created = await api.put(`/api/jobs/${jobId}`, {
      displayName: 'Move every machine on an S1 hub',
      deviceSet: fleet.deviceSet,
      operations: [{ type: 'property', name: 'location', value: 'Aisle 7' }],
    });
    expect(created.status).toBe(201);
    const job = await waitForJobEnd(api, jobId, 300_000);
    expect(job).toMatchObject({ status: 'completed', counts: { total: DEVICES, completed: DEVICES, failed: 0, pending: 0 } });

    const { throttles } = await hub.stats();
    // 400 twin writes (and as many reads) at up to 64 at once: more than an S1 hub's 50 writes a second.
    expect(throttles['twin-update']!.shaped + throttles['twin-update']!.refused).toBeGreaterThan(0);
    const twin = (await hub.request('GET', `/twins/${fleet.deviceIds[DEVICES - 1]}`)).body as { tags: { properties: Record<string, unknown> } };
    expect(twin.tags.properties['location']).toBe('Aisle 7');
  });
});
