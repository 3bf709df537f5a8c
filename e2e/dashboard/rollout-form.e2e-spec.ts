import { addOperation, defineJob, openJobId, waitForJobStatus } from './support/dashboard-screens';
import { batchRowsText, fieldErrorOf, openRolloutSection } from './support/rollout-screens';
import { createTestFleet } from './support/test-fleet';
import { waitFor } from './support/wait-for';
import { withDashboard } from './support/with-dashboard';

describe('dashboard: the Rollout section of the New job form', () => {
  const dashboard = withDashboard();
  const { rest } = dashboard;

  it('creates a batched, ramped job with an abort rule and retries through the screens, and shows its batches', async () => {
    // Devices slow enough that the batches are seen under way.
    const fleet = await createTestFleet(rest, 'e2e-rollout-form', { devices: 6, simulator: () => ({ latencyMs: 1000 }) });
    const { page } = dashboard;
    await dashboard.open('/jobs/new');
    await defineJob(page, 'Fan speed in batches', fleet.setId, 'Setting');
    await addOperation(page, 0, 'fanSpeed', '4');
    await page.getByRole('checkbox', { name: /All devices of the set/ }).check();
    await page.getByTestId('chosen-count').filter({ hasText: 'All 6 devices of the set chosen' }).waitFor();

    const section = await openRolloutSection(page);
    await section.getByRole('radio', { name: 'By size' }).check();
    await section.getByLabel('Devices per batch').fill('2');
    await section.getByLabel('Completed (%)').fill('100');
    await section.getByRole('radio', { name: 'Fixed', exact: true }).check();
    await section.getByLabel('Cap per minute').fill('600');
    await section.getByRole('checkbox', { name: 'Ramp up' }).check();
    await section.getByLabel('Start per minute').fill('120');
    await section.getByLabel('After successes').fill('2');
    await section.getByRole('button', { name: /Add abort rule/ }).click();
    const rule = section.getByRole('group', { name: 'Abort rule 1' });
    await rule.getByLabel('Failed over (%)').fill('50');
    await rule.getByLabel('Min. executed').fill('2');
    await section.getByRole('checkbox', { name: 'Retry failed devices' }).check();
    await section.getByLabel('Maximum attempts').fill('2');
    await section.getByLabel('Timeout per device (s)').fill('20');

    const posted = page.waitForRequest((request) => request.method() === 'POST' && new URL(request.url()).pathname === '/api/jobs');
    await page.getByRole('button', { name: 'Run' }).click();
    const rollout = {
      batches: { size: 2 },
      successGate: { percent: 100 },
      pauseBetweenSeconds: 0,
      rate: { perMinute: 600, ramp: { startPerMinute: 120, factor: 2, afterSuccesses: 2 } },
      abort: [{ failed: { percent: 50 }, minExecuted: 2, scope: 'job' }],
      retries: { maxAttempts: 2, on: ['offline', 'timeout', 'hub', 'throttled'], backoff: { initialMs: 1000, factor: 2, maxMs: 60000, jitter: true } },
      timeoutSeconds: 20,
    };
    expect((await posted).postDataJSON().rollout).toEqual(rollout);

    const jobId = await openJobId(page);
    await page.getByRole('heading', { name: 'Fan speed in batches' }).waitFor();
    const created = await rest.waitForJob(jobId, 'to be readable', () => true);
    expect(created.rollout).toEqual(rollout);

    // Three batches of two, shown as they run, each passed once the job has completed.
    await page.getByRole('table', { name: /^Batches: \d of 3$/ }).waitFor();
    await waitForJobStatus(page, 'Completed');
    await waitFor('every batch shown passed', async () => {
      const rows = await batchRowsText(page);
      return JSON.stringify(rows) === JSON.stringify([1, 2, 3].map((n) => [`Batch ${n}`, '2', '2', '0', 'Passed'])) || false;
    });
    // The device table catches up with the job within its refresh interval.
    await page.getByTestId('job-device').filter({ hasText: 'Completed' }).nth(5).waitFor();
    expect(await page.getByTestId('job-device-attempts').allInnerTexts()).toEqual(['1', '1', '1', '1', '1', '1']);
  });

  it('shows its own refusals and the API\'s beside the fields they name, and creates nothing', async () => {
    const fleet = await createTestFleet(rest, 'e2e-rollout-refused', { devices: 3 });
    const { page } = dashboard;
    await dashboard.open('/jobs/new');
    await defineJob(page, 'Too big a batch', fleet.setId, 'Setting');
    await addOperation(page, 0, 'fanSpeed', '2');
    await page.getByRole('checkbox', { name: /All devices of the set/ }).check();
    const section = await openRolloutSection(page);
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/jobs') posts.push(request.url());
    });

    // The dashboard's own rules: nothing is sent.
    await section.getByLabel('Percent per batch').fill('0');
    await section.getByRole('checkbox', { name: 'Retry failed devices' }).check();
    await section.getByLabel('Maximum attempts').fill('11');
    await page.getByRole('button', { name: 'Run' }).click();
    expect(await fieldErrorOf(section.getByLabel('Percent per batch'))).toContain('Enter a number above 0 and at most 100');
    expect(await fieldErrorOf(section.getByLabel('Maximum attempts'))).toContain('Enter a whole number from 1 to 10');
    expect(posts).toHaveLength(0);

    // Only the API knows how many devices the set has: its refusal lands on the batch size.
    await section.getByLabel('Maximum attempts').fill('3');
    await section.getByRole('radio', { name: 'By size' }).check();
    await section.getByLabel('Devices per batch').fill('4');
    const answered = page.waitForResponse((response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/api/jobs');
    await page.getByRole('button', { name: 'Run' }).click();
    const response = await answered;
    expect(response.status()).toBeGreaterThanOrEqual(400);
    expect(((await response.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['rollout.batches.size']);
    const batchSize = section.getByLabel('Devices per batch');
    await waitFor('the refusal beside the batch size', async () => (await fieldErrorOf(batchSize)).length > 0);
    expect(await batchSize.getAttribute('aria-invalid')).toBe('true');
    expect(page.url()).toMatch(/#\/jobs\/new/);
  });
});
