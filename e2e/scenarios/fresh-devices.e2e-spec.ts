import { uniqueId } from '../support/fleetjobs.client';
import { VENDING_CAPABILITIES, waitForJobEnd } from '../support/fleet.fixture';
import { allHubOperations } from '../support/hub-operations';
import { systemUnderTest } from '../support/system-under-test';

const { api, hub } = systemUnderTest();
const DEVICES = 5_000;
const BATCH = 2_500;

afterAll(() => hub.close());

// No waiting for the hub between creating the devices and the job: a device the API accepted
// can be a job's target at once (PRODUCT.md §1), on either topology.
describe('a job on devices created a moment ago', () => {
  it(`reaches all ${DEVICES} devices, none failing because the hub did not know it yet`, async () => {
    const prefix = uniqueId('fresh');
    const template = `${prefix}-vm`;
    expect((await api.put(`/api/device-templates/${template}`, { displayName: 'Vending machine', capabilities: VENDING_CAPABILITIES })).status).toBe(201);
    const deviceSet = `${prefix}-set`;
    expect(
      (await api.put(`/api/device-sets/${deviceSet}`, {
        displayName: `Fresh ${prefix}`,
        conditions: [
          { field: 'template', operator: 'eq', value: template },
          { field: 'tags.fleet', operator: 'eq', value: prefix },
        ],
      })).status,
    ).toBe(201);
    for (let start = 0; start < DEVICES; start += BATCH) {
      const devices = Array.from({ length: BATCH }, (_, i) => {
        const id = `${prefix}-d${String(start + i).padStart(6, '0')}`;
        return { id, displayName: `Machine ${start + i}`, template, tags: { fleet: prefix } };
      });
      expect((await api.post('/api/devices/batch', { devices })).status).toBe(200);
    }

    const jobId = uniqueId('job-fresh');
    expect((await api.put(`/api/jobs/${jobId}`, {
      displayName: 'Locate the new machines',
      deviceSet,
      operations: [{ type: 'property', name: 'location', value: 'depot' }],
    })).status).toBe(201);

    const job = await waitForJobEnd(api, jobId, 600_000);
    const failed = job.counts.failed > 0 ? (await api.get(`/api/jobs/${jobId}/devices?status=failed&limit=5`)).body.value : [];
    expect({ status: job.status, counts: job.counts, failed }).toEqual({
      status: 'completed',
      counts: { total: DEVICES, completed: DEVICES, failed: 0, pending: 0 },
      failed: [],
    });
    const patches = (await allHubOperations(hub, { kind: 'twin-patch' })).filter((op) => op.deviceId.startsWith(`${prefix}-`));
    expect(new Set(patches.map((op) => op.deviceId)).size).toBe(DEVICES);
  }, 660_000);
});
