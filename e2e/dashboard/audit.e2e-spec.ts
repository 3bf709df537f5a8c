import { uniqueId } from './support/unique-id';
import { waitFor } from './support/wait-for';
import { withDashboard } from './support/with-dashboard';

describe('dashboard: the audit trail', () => {
  const dashboard = withDashboard();
  const { rest } = dashboard;

  it('shows who created and stopped a job, on the job and on the Audit screen', async () => {
    const me = await rest.call<{ id: string; name: string }>('GET', '/api/me');
    const templateId = uniqueId('e2e-audit-vm');
    const setId = uniqueId('e2e-audit-set');
    const jobId = uniqueId('e2e-audit-job');
    await rest.putTemplate(templateId, 'Audited machine', [{ name: 'fanSpeed', kind: 'setting', schema: 'number' }]);
    await rest.putDeviceSet(setId, 'Audited machines', [{ field: 'template', operator: 'eq', value: templateId }]);
    // Waiting for approval, the job runs nothing before it is stopped.
    await rest.call('PUT', `/api/jobs/${jobId}`, {
      displayName: 'Audited fan test',
      deviceSet: setId,
      operations: [{ type: 'setting', name: 'fanSpeed', value: 3 }],
      approval: { required: true },
    });
    await rest.stopJob(jobId);
    await rest.waitForJob(jobId, 'to name who stopped it', (job) => (job as { stoppedBy?: unknown }).stoppedBy != null, 60_000);

    const { page } = dashboard;
    await dashboard.open(`/job/${encodeURIComponent(jobId)}`);
    expect(await page.getByTestId('job-created-by').innerText()).toContain(me.name);
    expect(await page.getByTestId('job-stopped-by').innerText()).toContain(me.name);

    await dashboard.open('/audit');
    await page.getByLabel('Subject').fill(jobId);
    const rows = page.getByTestId('audit-entry');
    await waitFor('the job\'s two entries', async () => ((await rows.count()) === 2 ? true : false), { timeoutMs: 30_000 });
    expect(await rows.nth(0).innerText()).toContain('Stopped job');
    expect(await rows.nth(1).innerText()).toContain('Created job');
    expect(await rows.nth(1).innerText()).toContain(me.name);
    await rows.nth(1).getByRole('link', { name: jobId }).click();
    await page.getByRole('heading', { name: 'Audited fan test' }).waitFor();
  });
});
