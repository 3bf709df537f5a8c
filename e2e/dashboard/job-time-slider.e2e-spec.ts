import { jobStatusText, waitForJobStatus } from './support/dashboard-screens';
import { createTestFleet } from './support/test-fleet';
import { waitFor } from './support/wait-for';
import { withDashboard } from './support/with-dashboard';

describe('dashboard: a job at any moment', () => {
  const dashboard = withDashboard();
  const { rest } = dashboard;

  it('the time slider shows the job as it was at its creation, and live again at its right end', async () => {
    const fleet = await createTestFleet(rest, 'e2e-at', { devices: 3, simulator: (i) => (i === 1 ? { failCommands: ['reboot'] } : undefined) });
    const created = await rest.createJob({ displayName: 'Reboot, then look back', deviceSet: fleet.setId, operations: [{ type: 'command', name: 'reboot', value: {} }] });
    await rest.waitForJob(created.id, 'to end with every device', (j) => j.status === 'failed' && j.counts.pending === 0 && j.counts.total === 3);

    const { page } = dashboard;
    await dashboard.open(`/job/${encodeURIComponent(created.id)}`);
    await waitForJobStatus(page, 'Failed');
    const slider = page.getByTestId('job-time-slider');
    const value = page.getByTestId('job-time-value');
    const rows = page.getByTestId('job-device');
    expect(await value.innerText()).toBe('Live');
    await waitFor('the three devices', async () => (await rows.count()) === 3);

    // The left end is the job's creation: pending, no device targeted yet.
    await slider.fill('0');
    await waitForJobStatus(page, 'Pending', 30_000);
    expect(await value.innerText()).toContain('As it was at');
    await waitFor('no devices then', async () => (await rows.count()) === 0);
    expect(await page.getByTestId('job-counts').innerText()).toMatch(/^0\s/);

    await page.getByRole('button', { name: 'Back to live' }).click();
    await waitForJobStatus(page, 'Failed', 30_000);
    await waitFor('the three devices again', async () => (await rows.count()) === 3);
    expect(await value.innerText()).toBe('Live');
    expect(await jobStatusText(page)).toBe('Failed');
  });
});
