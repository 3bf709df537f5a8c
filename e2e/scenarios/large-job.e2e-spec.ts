import { uniqueId } from '../support/fleetjobs.client';
import { createFleet, waitForJobEnd } from '../support/fleet.fixture';
import { allHubOperations } from '../support/hub-operations';
import { systemUnderTest } from '../support/system-under-test';

const { api, hub } = systemUnderTest();
const DEVICES = Number(process.env.E2E_LARGE_JOB_DEVICES ?? 20_000);

afterAll(() => hub.close());

describe(`one job of ${DEVICES} devices`, () => {
  it('started right after its devices were batch-created, reaches every device exactly once and accounts for each', async () => {
    const fleet = await createFleet(api, hub, { label: 'large', count: DEVICES, waitForHub: false });
    const jobId = uniqueId('job-large');
    const started = Date.now();
    expect((await api.put(`/api/jobs/${jobId}`, {
      displayName: 'Fleet-wide location',
      deviceSet: fleet.deviceSet,
      operations: [{ type: 'property', name: 'location', value: 'warehouse' }],
    })).status).toBe(201);
    const job = await waitForJobEnd(api, jobId, 600_000);
    expect(job).toMatchObject({ status: 'completed', counts: { total: DEVICES, completed: DEVICES, failed: 0, pending: 0 } });
    const devices = await api.all(`/api/jobs/${jobId}/devices`, 1000);
    expect(devices).toHaveLength(DEVICES);
    expect(new Set(devices.map((d) => d.deviceId)).size).toBe(DEVICES);
    const patches = (await allHubOperations(hub, { kind: 'twin-patch' })).filter((op) => op.deviceId.startsWith(fleet.prefix));
    expect(patches).toHaveLength(DEVICES);
    expect(new Set(patches.map((op) => op.deviceId)).size).toBe(DEVICES);
    process.stdout.write(`large job: ${DEVICES} devices in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  });
});
