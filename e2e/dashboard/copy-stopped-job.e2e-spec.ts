import { chosenCountText, openJobId, waitForJobStatus } from './support/dashboard-screens';
import { createTestFleet } from './support/test-fleet';
import { waitFor } from './support/wait-for';
import { withDashboard } from './support/with-dashboard';

describe('dashboard: copy a stopped job', () => {
  const dashboard = withDashboard();
  const { rest } = dashboard;
  const started: string[] = [];
  afterAll(() => Promise.all(started.map((id) => rest.stopJob(id).catch(() => undefined))));

  it('copies the definition of a stopped job into a new job that runs under a new id', async () => {
    const fleet = await createTestFleet(rest, 'e2e-copy', { devices: 4, simulator: () => ({ latencyMs: 15_000 }) });
    const chosen = fleet.deviceIds.slice(0, 2);
    const original = await rest.createJob({
      displayName: 'Reboot twice',
      deviceSet: fleet.setId,
      devices: chosen,
      operations: [{ type: 'command', name: 'reboot', value: { delay: 5 } }],
    });
    started.push(original.id);
    await rest.waitForJob(original.id, 'to be readable', () => true);
    await rest.stopJob(original.id);
    await rest.waitForJob(original.id, 'to be stopped', (j) => j.status === 'stopped');

    const { page } = dashboard;
    await dashboard.open(`/job/${encodeURIComponent(original.id)}`);
    await waitForJobStatus(page, 'Stopped');
    await page.getByRole('button', { name: 'Copy to a new job' }).click();
    await page.waitForURL(/#\/jobs\/new\?copy=/);

    const name = page.getByRole('textbox', { name: 'Name', exact: true });
    await waitFor('the copied name', async () => (await name.inputValue()) === 'Reboot twice (copy)');
    // The set list loads on its own: the copied set shows once its option is there.
    await waitFor('the copied device set', async () => (await page.getByLabel('Device set').inputValue()) === fleet.setId);
    expect(await page.getByRole('radio', { name: 'Command', exact: true }).isChecked()).toBe(true);
    const operation = page.getByRole('group', { name: 'Operation 1' });
    await waitFor('the copied operation', async () => (await operation.getByRole('combobox').first().inputValue()) === 'reboot');
    expect(JSON.parse(await operation.getByLabel('Value').inputValue())).toEqual({ delay: 5 });
    await waitFor('the copied devices', async () => (await chosenCountText(page)) === '2 devices chosen');

    await page.getByRole('button', { name: 'Run' }).click();
    const copyId = await openJobId(page);
    started.push(copyId);
    expect(copyId).not.toBe(original.id);
    const copy = await rest.waitForJob(copyId, 'to be readable', () => true);
    expect(copy).toMatchObject({ displayName: 'Reboot twice (copy)', deviceSet: fleet.setId, operations: [{ type: 'command', name: 'reboot', value: { delay: 5 } }] });
    expect([...(copy.devices ?? [])].sort()).toEqual([...chosen].sort());
  });
});
