import { addOperation, defineJob, jobStatusText, openJobId, waitForJobStatus } from './support/dashboard-screens';
import { createTestFleet } from './support/test-fleet';
import { withDashboard } from './support/with-dashboard';

describe('dashboard: create a job through the screens and watch it complete', () => {
  const dashboard = withDashboard();
  const { rest } = dashboard;

  it('runs a setting on every device of a set and shows it complete, live', async () => {
    // Devices slow enough that the job is still under way when its screen opens.
    const fleet = await createTestFleet(rest, 'e2e-create', { devices: 3, simulator: () => ({ latencyMs: 2000 }) });
    const { page } = dashboard;
    await dashboard.open('/jobs');
    await page.getByRole('link', { name: 'New job' }).click();
    await defineJob(page, 'Raise fan speed', fleet.setId, 'Setting');
    await addOperation(page, 0, 'fanSpeed', '5');
    await page.getByRole('checkbox', { name: /All devices of the set/ }).check();
    await page.getByTestId('chosen-count').filter({ hasText: 'All 3 devices of the set chosen' }).waitFor();
    await page.getByRole('button', { name: 'Run' }).click();

    const jobId = await openJobId(page);
    await page.getByRole('heading', { name: 'Raise fan speed' }).waitFor();
    expect(['Pending', 'Running']).toContain(await jobStatusText(page));
    await waitForJobStatus(page, 'Completed');

    expect(await page.locator('[data-count="completed"] .count__value').innerText()).toBe('3');
    expect(await page.locator('[data-count="failed"] .count__value').innerText()).toBe('0');
    const rows = page.getByTestId('job-device');
    await rows.filter({ hasText: 'Completed' }).nth(2).waitFor();
    expect(await rows.count()).toBe(3);

    const job = await rest.getJob(jobId);
    expect(job).toMatchObject({
      displayName: 'Raise fan speed',
      deviceSet: fleet.setId,
      devices: null,
      operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
      status: 'completed',
      counts: { total: 3, completed: 3, failed: 0, pending: 0 },
    });

    await page.getByRole('link', { name: 'Jobs', exact: true }).first().click();
    const row = page.locator(`[data-testid="job-row"][data-job-id="${jobId}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('Completed');
  });
});
