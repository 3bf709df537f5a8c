import { addOperation, defineJob, openJobId } from './support/dashboard-screens';
import { createTestFleet } from './support/test-fleet';
import { withDashboard } from './support/with-dashboard';

describe('dashboard: the Schedule section of the New job form', () => {
  const dashboard = withDashboard();
  const { rest } = dashboard;

  it('creates a job that starts later, inside a maintenance window, and shows its start and window', async () => {
    const fleet = await createTestFleet(rest, 'e2e-schedule-form', { devices: 2 });
    const { page } = dashboard;
    await dashboard.open('/jobs/new');
    await defineJob(page, 'Fan speed tonight', fleet.setId, 'Setting');
    await addOperation(page, 0, 'fanSpeed', '3');
    await page.getByRole('checkbox', { name: /All devices of the set/ }).check();

    // An hour from now, to the minute, as the browser's clock and zone give it.
    const startAt = new Date(Math.ceil((Date.now() + 3_600_000) / 60_000) * 60_000);
    const local = await page.evaluate((ms) => {
      const d = new Date(ms);
      const p = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
    }, startAt.getTime());
    const section = page.getByTestId('schedule-section');
    await section.getByLabel('Start at').fill(local);
    await section.getByRole('checkbox', { name: /maintenance window/ }).check();
    await section.getByRole('checkbox', { name: 'sat' }).check();
    await section.getByRole('checkbox', { name: 'sun' }).check();
    await section.getByLabel('Window opens').fill('22:00');
    await section.getByLabel('Window closes').fill('04:00');
    await section.getByLabel('Window time zone').fill('Europe/Berlin');

    const posted = page.waitForRequest((request) => request.method() === 'POST' && new URL(request.url()).pathname === '/api/jobs');
    await page.getByRole('button', { name: 'Run' }).click();
    const schedule = { startAt: startAt.toISOString(), windows: [{ days: ['sat', 'sun'], start: '22:00', end: '04:00', timeZone: 'Europe/Berlin' }] };
    expect((await posted).postDataJSON().schedule).toEqual(schedule);

    const jobId = await openJobId(page);
    await page.getByRole('heading', { name: 'Fan speed tonight' }).waitFor();
    const created = await rest.waitForJob(jobId, 'to be readable', () => true);
    expect(created).toMatchObject({ status: 'pending', schedule, nextStartAt: startAt.toISOString() });
    await page.getByTestId('job-next-start').waitFor();
    expect(await page.getByTestId('job-windows').innerText()).toBe('sat, sun 22:00–04:00 Europe/Berlin');
    await rest.stopJob(jobId);
  });

  it('refuses a start in the past beside the field, and creates nothing', async () => {
    const fleet = await createTestFleet(rest, 'e2e-schedule-past', { devices: 1 });
    const { page } = dashboard;
    await dashboard.open('/jobs/new');
    await defineJob(page, 'Too late', fleet.setId, 'Setting');
    await addOperation(page, 0, 'fanSpeed', '2');
    await page.getByRole('checkbox', { name: /All devices of the set/ }).check();
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/jobs') posts.push(request.url());
    });
    await page.getByTestId('schedule-section').getByLabel('Start at').fill('2020-01-01T10:00');
    await page.getByRole('button', { name: 'Run' }).click();
    await page.getByTestId('schedule-section').getByText('Choose a time in the future').waitFor();
    expect(posts).toEqual([]);
  });
});
