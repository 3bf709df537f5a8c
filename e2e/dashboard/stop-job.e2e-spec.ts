import { openDashboardBrowser, DashboardBrowser } from './support/dashboard-browser';
import { jobStatusText, openScreen, waitForJobStatus } from './support/dashboard-screens';
import { FleetjobsRest } from './support/fleetjobs-rest';
import { systemUrl } from './support/system-url';
import { createTestFleet } from './support/test-fleet';
import { waitFor } from './support/wait-for';

describe('dashboard: stop a running job', () => {
  const url = systemUrl();
  const rest = new FleetjobsRest(url);
  let browser: DashboardBrowser;

  beforeAll(async () => {
    await rest.assertReachable();
    browser = await openDashboardBrowser();
  });
  afterAll(async () => browser?.close());

  it('stops after a confirmation that says a stopped job cannot be restarted', async () => {
    // Slow devices keep the job running long enough to be stopped.
    const fleet = await createTestFleet(rest, 'e2e-stop', { devices: 10, simulator: () => ({ latencyMs: 15_000 }) });
    const created = await rest.createJob({ displayName: 'Long fan test', deviceSet: fleet.setId, operations: [{ type: 'setting', name: 'fanSpeed', value: 3 }] });

    const { page } = browser;
    await openScreen(page, url, `/job/${encodeURIComponent(created.id)}`);
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
