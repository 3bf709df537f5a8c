import { addOperation, defineJob } from './support/dashboard-screens';
import { createTestFleet } from './support/test-fleet';
import { uniqueId } from './support/unique-id';
import { waitFor } from './support/wait-for';
import { withDashboard } from './support/with-dashboard';

describe('dashboard: the preview before Run', () => {
  const dashboard = withDashboard();
  const { rest } = dashboard;

  it('shows the devices, the time and a paused job on the same devices that writes the same setting', async () => {
    const fleet = await createTestFleet(rest, 'e2e-preview', { devices: 3 });
    // A job on two of the devices, one device a minute, paused: it stays active while the form is filled.
    const pausedId = uniqueId('e2e-preview-paused');
    await rest.call('PUT', `/api/jobs/${pausedId}`, {
      displayName: 'Slow fan change',
      deviceSet: fleet.setId,
      devices: fleet.deviceIds.slice(0, 2),
      operations: [{ type: 'setting', name: 'fanSpeed', value: 2 }],
      rollout: { rate: { perMinute: 1 } },
    });
    await rest.call('POST', `/api/jobs/${pausedId}/pause`);
    await waitFor(`job ${pausedId} paused with its devices known`, async () => {
      const job = await rest.getJob(pausedId).catch(() => null);
      return (job?.status as string | undefined) === 'paused' && (await rest.jobDevices(pausedId)).length === 2;
    });

    const { page } = dashboard;
    await dashboard.open('/jobs');
    await page.getByRole('link', { name: 'New job' }).click();
    const preview = page.getByRole('region', { name: 'Preview' });
    await preview.getByText('Complete the job').waitFor();
    await defineJob(page, 'Faster fans', fleet.setId, 'Setting');
    await addOperation(page, 0, 'fanSpeed', '5');
    await page.getByRole('checkbox', { name: /All devices of the set/ }).check();

    await preview.getByTestId('preview-total').filter({ hasText: '3' }).waitFor();
    expect(await preview.getByRole('list', { name: 'Devices per template' }).innerText()).toBe(`${fleet.templateId}: 3`);
    expect(await preview.getByTestId('preview-eta').innerText()).toMatch(/^(about |under a second)/);
    const overlap = preview.getByRole('list', { name: 'Overlapping jobs' }).getByRole('listitem').filter({ hasText: 'Slow fan change' });
    await overlap.waitFor();
    expect(await overlap.innerText()).toBe('Slow fan change (paused): 2 shared devices; it also writes setting fanSpeed');

    // Another operation: the preview follows the form; the same devices, nothing written twice.
    await page.getByRole('radio', { name: 'Property', exact: true }).check();
    await addOperation(page, 0, 'location', 'Seattle');
    await overlap.filter({ hasText: 'it writes none of the same properties or settings' }).waitFor();
    expect(await overlap.innerText()).toBe('Slow fan change (paused): 2 shared devices; it writes none of the same properties or settings');

    await rest.stopJob(pausedId);
  });
});
