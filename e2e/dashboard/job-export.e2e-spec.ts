import { readFile } from 'node:fs/promises';
import { waitForJobStatus } from './support/dashboard-screens';
import { createTestFleet } from './support/test-fleet';
import { withDashboard } from './support/with-dashboard';

describe("dashboard: downloading a job's devices", () => {
  const dashboard = withDashboard();
  const { rest } = dashboard;

  it('saves the devices the list shows as a CSV file named after the job: all of them, or only the failed ones', async () => {
    const fleet = await createTestFleet(rest, 'e2e-export', {
      devices: 3,
      simulator: (i) => (i === 1 ? { failCommands: ['reboot'] } : undefined),
    });
    const failing = fleet.deviceIds[1];
    const created = await rest.createJob({ displayName: 'Reboot to export', deviceSet: fleet.setId, operations: [{ type: 'command', name: 'reboot', value: {} }] });
    await rest.waitForJob(created.id, 'to end', (j) => j.status === 'failed' || j.status === 'completed');

    const { page } = dashboard;
    await dashboard.open(`/job/${encodeURIComponent(created.id)}`);
    await waitForJobStatus(page, 'Failed');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="job-device"]').length === 3);

    const saved = async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
      const path = await download.path();
      return { filename: download.suggestedFilename(), lines: (await readFile(path, 'utf8')).split('\r\n').filter((line) => line !== '') };
    };

    const all = await saved();
    expect(all.filename).toBe(`${created.id}-devices.csv`);
    expect(all.lines[0]).toBe('deviceId,displayName,status,error,deleted,attempts');
    expect(all.lines.slice(1).map((line) => line.split(',')[0]).sort()).toEqual([...fleet.deviceIds].sort());

    await page.getByLabel('Status', { exact: true }).selectOption('failed');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="job-device"]').length === 1);
    const failed = await saved();
    expect(failed.lines).toHaveLength(2);
    expect(failed.lines[1]).toMatch(new RegExp(`^${failing},.*,failed,`));
  });
});
