import { waitForJobStatus } from './support/dashboard-screens';
import { FleetjobsRest } from './support/fleetjobs-rest';
import { createTestFleet } from './support/test-fleet';
import { waitFor } from './support/wait-for';
import { withDashboard } from './support/with-dashboard';

describe('dashboard: a device deleted after its job ran', () => {
  const dashboard = withDashboard();
  const { rest } = dashboard;

  it('is shown as deleted, with its id, and cannot be opened', async () => {
    const fleet = await createTestFleet(rest, 'e2e-deleted', { devices: 2 });
    const [gone, kept] = fleet.deviceIds;
    const created = await rest.createJob({ displayName: 'Set location', deviceSet: fleet.setId, operations: [{ type: 'property', name: 'location', value: 'Pike Place' }] });
    await rest.waitForJob(created.id, 'to complete', (j) => j.status === 'completed');
    await rest.call('DELETE', `/api/devices/${gone}`);
    await waitForDeleted(rest, created.id, gone);

    const { page } = dashboard;
    await dashboard.open(`/job/${encodeURIComponent(created.id)}`);
    await waitForJobStatus(page, 'Completed');
    const deletedRow = page.locator(`[data-testid="job-device"][data-device-id="${gone}"]`);
    await deletedRow.waitFor();
    expect(await deletedRow.innerText()).toContain(gone);
    expect(await deletedRow.getByText('Deleted', { exact: true }).count()).toBe(1);
    expect(await deletedRow.getByRole('link').count()).toBe(0);
    const keptRow = page.locator(`[data-testid="job-device"][data-device-id="${kept}"]`);
    expect(await keptRow.getByRole('link').getAttribute('href')).toBe(`#/device/${kept}`);
  });
});

async function waitForDeleted(rest: FleetjobsRest, jobId: string, deviceId: string): Promise<void> {
  await waitFor(`${deviceId} to be marked deleted in job ${jobId}`, async () => (await rest.jobDevices(jobId)).some((d) => d.deviceId === deviceId && d.deleted), { timeoutMs: 60_000, intervalMs: 500 });
}
