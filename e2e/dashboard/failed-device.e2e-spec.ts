import { waitForJobStatus } from './support/dashboard-screens';
import { createTestFleet } from './support/test-fleet';
import { withDashboard } from './support/with-dashboard';

describe("dashboard: a failed device's error", () => {
  const dashboard = withDashboard();
  const { rest } = dashboard;

  it('shows the failed device with the error message the API reports for it', async () => {
    const fleet = await createTestFleet(rest, 'e2e-failed', {
      devices: 3,
      simulator: (i) => (i === 1 ? { failCommands: ['reboot'] } : undefined),
    });
    const failing = fleet.deviceIds[1];
    const created = await rest.createJob({ displayName: 'Reboot after update', deviceSet: fleet.setId, operations: [{ type: 'command', name: 'reboot', value: {} }] });
    const job = await rest.waitForJob(created.id, 'to end', (j) => j.status === 'failed' || j.status === 'completed');
    expect(job.status).toBe('failed');
    const [reported] = await rest.jobDevices(created.id, 'failed');
    expect(reported).toMatchObject({ deviceId: failing, status: 'failed' });
    expect(reported.error).toBeTruthy();

    const { page } = dashboard;
    await dashboard.open(`/job/${encodeURIComponent(created.id)}`);
    await waitForJobStatus(page, 'Failed');
    await page.getByLabel('Status', { exact: true }).selectOption('failed');
    const rows = page.getByTestId('job-device');
    await page.locator(`[data-testid="job-device"][data-device-id="${failing}"]`).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="job-device"]').length === 1);
    const row = rows.first();
    expect(await row.getAttribute('data-device-id')).toBe(failing);
    expect(await row.locator('.badge').innerText()).toBe('Failed');
    expect((await row.locator('.error-text').innerText()).trim()).toBe(reported.error);

    await page.getByLabel('Status', { exact: true }).selectOption('');
    await page.getByLabel('Search by device id').fill(failing.slice(-8));
    await page.waitForFunction((id) => {
      const shown = Array.from(document.querySelectorAll<HTMLElement>('[data-testid="job-device"]'), (r) => r.dataset.deviceId);
      return shown.length === 1 && shown[0] === id;
    }, failing);
  });
});
