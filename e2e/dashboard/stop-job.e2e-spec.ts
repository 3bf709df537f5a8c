import { jobStatusText, waitForJobStatus } from './support/dashboard-screens';
import { createTestFleet } from './support/test-fleet';
import { waitFor } from './support/wait-for';
import { withDashboard } from './support/with-dashboard';

describe('dashboard: stop a running job', () => {
  const dashboard = withDashboard();
  const { rest } = dashboard;

  it('stops after a confirmation that says a stopped job cannot be restarted', async () => {
    // Slow devices keep the job running long enough to be stopped.
    const fleet = await createTestFleet(rest, 'e2e-stop', { devices: 10, simulator: () => ({ latencyMs: 15_000 }) });
    const created = await rest.createJob({ displayName: 'Long fan test', deviceSet: fleet.setId, operations: [{ type: 'setting', name: 'fanSpeed', value: 3 }] });

    const { page } = dashboard;
    await dashboard.open(`/job/${encodeURIComponent(created.id)}`);
    await waitFor('the job to be under way', async () => ['Pending', 'Running'].includes(await jobStatusText(page)));
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('A stopped job cannot be restarted');
    await dialog.getByRole('button', { name: 'Stop job' }).click();

    await waitForJobStatus(page, 'Stopped', 30_000);
    expect(await page.getByRole('button', { name: 'Stop', exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'Copy to a new job' }).waitFor();
    expect((await rest.getJob(created.id)).status).toBe('stopped');
  });
});
