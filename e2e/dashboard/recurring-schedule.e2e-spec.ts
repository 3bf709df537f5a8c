import type { ApiSchema } from '@fleetjobs/contracts';
import { addOperation, defineJob } from './support/dashboard-screens';
import { createTestFleet } from './support/test-fleet';
import { waitFor } from './support/wait-for';
import { withDashboard } from './support/with-dashboard';

type RestSchedule = ApiSchema<'Schedule'>;

describe('dashboard: a recurring schedule', () => {
  const dashboard = withDashboard();
  const { rest } = dashboard;
  const getSchedule = (id: string) => rest.call<RestSchedule>('GET', `/api/schedules/${encodeURIComponent(id)}`);

  it('is made through the New job form, listed, runs as linked jobs, pauses and is deleted', async () => {
    const fleet = await createTestFleet(rest, 'e2e-recurring', { devices: 2 });
    const { page } = dashboard;
    await dashboard.open('/jobs/new');
    await defineJob(page, 'Fan speed each minute', fleet.setId, 'Setting');
    await addOperation(page, 0, 'fanSpeed', '3');
    await page.getByRole('checkbox', { name: /All devices of the set/ }).check();

    // Once a minute at a second about 20 s ahead: run 1 comes soon, run 2 a minute later, which
    // leaves a minute to pause the schedule while run 2 waits for its start.
    const second = (new Date().getUTCSeconds() + 20) % 60;
    const cron = `${second} * * * * *`;
    const section = page.getByTestId('schedule-section');
    await section.getByLabel('Repeat', { exact: true }).selectOption('cron');
    await section.getByLabel('Cron expression').fill(cron);
    await section.getByLabel('Time zone', { exact: true }).fill('UTC');
    await section.getByLabel('Ends').selectOption('count');
    await section.getByLabel('Number of runs').fill('2');
    // The next runs come from cron-parser, loaded as a chunk of its own once Repeat is chosen.
    await waitFor('the two next runs to show', async () => (await section.getByTestId('next-run').count()) === 2, { timeoutMs: 15_000 });

    const posted = page.waitForRequest((request) => request.method() === 'POST' && new URL(request.url()).pathname === '/api/jobs');
    await page.getByRole('button', { name: 'Run' }).click();
    expect((await posted).postDataJSON().schedule).toEqual({ recurrence: { cron, timeZone: 'UTC', count: 2 } });

    // Run opens the schedule made.
    await page.waitForURL(/#\/schedule\//);
    const scheduleId = decodeURIComponent(new URL(page.url()).hash.replace(/^#\/schedule\//, ''));
    await page.getByRole('heading', { name: 'Fan speed each minute' }).waitFor();
    expect(await getSchedule(scheduleId)).toMatchObject({ status: 'active', recurrence: { cron, timeZone: 'UTC', count: 2 } });

    await dashboard.open('/schedules');
    const row = page.locator(`[data-testid="schedule-row"][data-schedule-id="${scheduleId}"]`);
    await row.waitFor();
    expect(await row.getByTestId('schedule-status').innerText()).toBe('Active');
    expect(await row.innerText()).toContain(cron);

    // Run 2 is made once run 1 has started: both show, each linked to its job.
    await row.getByRole('link', { name: 'Fan speed each minute' }).click();
    await page.getByRole('heading', { name: 'Fan speed each minute' }).waitFor();
    const runs = page.getByTestId('schedule-run');
    await waitFor('two runs on the schedule screen', async () => (await runs.count()) === 2, { timeoutMs: 100_000 });
    const [run2, run1] = await runs.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-job-id') ?? ''));
    expect(await rest.getJob(run1)).toMatchObject({ scheduleId, scheduleRun: 1 });
    expect(await rest.getJob(run2)).toMatchObject({ scheduleId, scheduleRun: 2, status: 'pending' });

    await runs.last().getByRole('link', { name: 'Fan speed each minute' }).click();
    await page.waitForURL(`**/#/job/${encodeURIComponent(run1)}`);
    const notice = page.getByTestId('job-schedule-run');
    expect(await notice.innerText()).toBe(`Run 1 of schedule ${scheduleId}`);
    await notice.getByRole('link').click();
    await page.getByTestId('schedule-status').waitFor();

    // Pause stops the run that waits for its start.
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByTestId('schedule-paused').waitFor();
    expect(await page.getByTestId('schedule-status').innerText()).toBe('Paused');
    await page.getByRole('button', { name: 'Resume', exact: true }).waitFor();
    expect((await getSchedule(scheduleId)).status).toBe('paused');
    await rest.waitForJob(run2, 'to be stopped by the pause', (job) => job.status === 'stopped', 30_000);

    // Delete asks first, then lists the schedules without it; its runs stay as jobs.
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('alertdialog');
    expect(await dialog.innerText()).toContain('Its runs stay listed as jobs');
    await dialog.getByRole('button', { name: 'Delete schedule' }).click();
    await page.waitForURL(/#\/schedules$/);
    await page.getByRole('heading', { name: 'Schedules' }).waitFor();
    await waitFor('the schedule to leave the list', async () => (await row.count()) === 0, { timeoutMs: 15_000 });
    await expect(getSchedule(scheduleId)).rejects.toThrow(/answered 404/);
    expect((await rest.getJob(run1)).scheduleId).toBe(scheduleId);
  }, 240_000);
});
