import { openJobId, waitForJobStatus } from './support/dashboard-screens';
import { createTestFleet } from './support/test-fleet';
import { withDashboard } from './support/with-dashboard';

describe('dashboard: rerun on failed devices', () => {
  const dashboard = withDashboard();
  const { rest } = dashboard;

  it('creates a job on exactly the failed devices, opens it and names the job it reruns', async () => {
    const fleet = await createTestFleet(rest, 'e2e-rerun', {
      devices: 4,
      simulator: (i) => (i === 0 || i === 2 ? { failCommands: ['reboot'] } : undefined),
    });
    const failing = [fleet.deviceIds[0], fleet.deviceIds[2]].sort();
    const created = await rest.createJob({ displayName: 'Reboot to rerun', deviceSet: fleet.setId, operations: [{ type: 'command', name: 'reboot', value: {} }] });
    await rest.waitForJob(created.id, 'to end', (j) => j.status === 'failed' || j.status === 'completed');

    const { page } = dashboard;
    await dashboard.open(`/job/${encodeURIComponent(created.id)}`);
    await waitForJobStatus(page, 'Failed');
    await page.getByRole('button', { name: 'Rerun on failed devices' }).click();
    await page.waitForURL((url) => url.hash.startsWith('#/job/') && !url.hash.endsWith(encodeURIComponent(created.id)));
    const rerunId = await openJobId(page);
    expect(rerunId).not.toBe(created.id);
    await page.getByTestId('job-rerun-of').waitFor();
    expect(await page.getByTestId('job-rerun-of').innerText()).toContain(created.id);

    // The simulator's devices still refuse the reboot: the rerun fails on the same two devices, and only those.
    const rerun = await rest.waitForJob(rerunId, 'to end', (j) => j.status === 'failed' || j.status === 'completed');
    expect(rerun).toMatchObject({ rerunOf: created.id, devices: failing, counts: { total: 2, failed: 2 } });
    await waitForJobStatus(page, 'Failed');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="job-device"]').length === 2);
    const shown = await page.locator('[data-testid="job-device"]').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.deviceId).sort());
    expect(shown).toEqual(failing);
  });
});
