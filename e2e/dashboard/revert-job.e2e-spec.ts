import { openJobId, waitForJobStatus } from './support/dashboard-screens';
import { createTestFleet } from './support/test-fleet';
import { withDashboard } from './support/with-dashboard';

describe('dashboard: revert a property job', () => {
  const dashboard = withDashboard();
  const { rest } = dashboard;

  it('reverts an ended property job after a confirmation, and opens the revert job, which links the job it reverts', async () => {
    const fleet = await createTestFleet(rest, 'e2e-revert', { devices: 2 });
    const location = (value: string) => [{ type: 'property' as const, name: 'location', value }];
    const before = await rest.createJob({ displayName: 'Seattle', deviceSet: fleet.setId, operations: location('Seattle') });
    await rest.waitForJob(before.id, 'to complete', (job) => job.status === 'completed');
    const original = await rest.createJob({ displayName: 'Move to Berlin', deviceSet: fleet.setId, operations: location('Berlin') });
    await rest.waitForJob(original.id, 'to complete', (job) => job.status === 'completed');

    const { page } = dashboard;
    await dashboard.open(`/job/${encodeURIComponent(original.id)}`);
    await waitForJobStatus(page, 'Completed');
    await page.getByRole('button', { name: 'Revert', exact: true }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('property location');
    await dialog.getByRole('button', { name: 'Revert', exact: true }).click();

    await page.waitForURL((url) => !url.hash.endsWith(encodeURIComponent(original.id)));
    const revertId = await openJobId(page);
    await waitForJobStatus(page, 'Completed');
    await page.getByTestId('job-revert-of').getByRole('link', { name: original.id }).waitFor();
    expect(await rest.getJob(revertId)).toMatchObject({ displayName: 'Revert: Move to Berlin', revertOf: original.id, counts: { total: 2, completed: 2 } });
  });
});
