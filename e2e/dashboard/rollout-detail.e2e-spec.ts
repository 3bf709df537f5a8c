import { jobStatusText, waitForJobStatus } from './support/dashboard-screens';
import { RestJob } from './support/fleetjobs-rest';
import { batchRowsText } from './support/rollout-screens';
import { createTestFleet } from './support/test-fleet';
import { waitFor } from './support/wait-for';
import { withDashboard } from './support/with-dashboard';

describe("dashboard: a rollout's job detail", () => {
  const dashboard = withDashboard();
  const { rest } = dashboard;
  const createJob = (body: Record<string, unknown>) => rest.call<RestJob>('POST', '/api/jobs', body);
  const getJob = (id: string) => rest.call<RestJob>('GET', `/api/jobs/${encodeURIComponent(id)}`);

  it('shows the batches, the rate and why it changed, and the attempts of a batched job as it runs', async () => {
    const fleet = await createTestFleet(rest, 'e2e-rollout-detail', { devices: 6, simulator: () => ({ latencyMs: 1500 }) });
    const created = await createJob({
      displayName: 'Eco mode in batches',
      deviceSet: fleet.setId,
      operations: [{ type: 'setting', name: 'ecoMode', value: true }],
      rollout: { batches: { size: 2 }, successGate: { percent: 100 }, rate: { perMinute: 600, ramp: { startPerMinute: 60, afterSuccesses: 2 } }, retries: { maxAttempts: 2 } },
    });

    const { page } = dashboard;
    await dashboard.open(`/job/${encodeURIComponent(created.id)}`);
    const rollout = page.getByRole('region', { name: 'Rollout' });
    await rollout.waitFor();
    expect(await rollout.innerText()).toContain('2 devices each, 100 % completed before the next');
    await page.getByRole('table', { name: /^Batches: \d of 3$/ }).waitFor();
    await rollout.getByTestId('rollout-rate').waitFor();
    expect(await rollout.getByTestId('rollout-rate').innerText()).toMatch(/^[\d,]+ \/ min/);

    await waitForJobStatus(page, 'Completed');
    await waitFor('every batch shown passed', async () => {
      const rows = await batchRowsText(page);
      return JSON.stringify(rows) === JSON.stringify([1, 2, 3].map((n) => [`Batch ${n}`, '2', '2', '0', 'Passed'])) || false;
    });
    // The device table catches up with the job within its refresh interval.
    await page.getByTestId('job-device').filter({ hasText: 'Completed' }).nth(5).waitFor();
    expect(await page.getByTestId('job-device-attempts').allInnerTexts()).toEqual(['1', '1', '1', '1', '1', '1']);
  });

  it("shows the abort rule's reason when the rollout aborts the job", async () => {
    const fleet = await createTestFleet(rest, 'e2e-rollout-abort', { devices: 6, simulator: () => ({ rejectSettings: true }) });
    const created = await createJob({
      displayName: 'Rejected fan speed',
      deviceSet: fleet.setId,
      operations: [{ type: 'setting', name: 'fanSpeed', value: 9 }],
      rollout: { batches: { size: 2 }, abort: [{ failed: { count: 2 }, kinds: ['rejected'] }] },
    });
    const ended = await rest.waitForJob(created.id, 'to fail', (job) => job.status === 'failed');
    expect(ended.error).toMatch(/^aborted/);

    const { page } = dashboard;
    await dashboard.open(`/job/${encodeURIComponent(created.id)}`);
    await waitForJobStatus(page, 'Failed');
    const alert = page.getByRole('alert').filter({ hasText: 'The rollout aborted the job' });
    await alert.waitFor();
    expect(await alert.innerText()).toContain(ended.error!);
    expect(await page.getByRole('button', { name: 'Pause', exact: true }).count()).toBe(0);
  });

  it('pauses the job from Pause beside Stop and resumes it from Resume', async () => {
    // One device at a time, each slow: the job is still running when Pause is pressed.
    const fleet = await createTestFleet(rest, 'e2e-rollout-pause', { devices: 6, simulator: () => ({ latencyMs: 2000 }) });
    const created = await createJob({
      displayName: 'Fan speed, one at a time',
      deviceSet: fleet.setId,
      operations: [{ type: 'setting', name: 'fanSpeed', value: 6 }],
      rollout: { batches: { size: 1 } },
    });

    const { page } = dashboard;
    await dashboard.open(`/job/${encodeURIComponent(created.id)}`);
    await waitForJobStatus(page, 'Running');
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await waitForJobStatus(page, 'Paused', 30_000);
    await page.getByTestId('job-paused').waitFor();
    expect((await getJob(created.id)).status).toBe('paused');
    await page.getByRole('button', { name: 'Stop', exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Pause', exact: true }).count()).toBe(0);
    // What was in flight finishes; nothing new starts, so the job stays paused with devices pending.
    const paused = await rest.waitForJob(created.id, 'to settle while paused', (job) => job.counts.pending > 0 && job.counts.completed + job.counts.failed >= 1);
    expect((paused as RestJob).status).toBe('paused');

    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await waitFor('the job to run again', async () => ['Running', 'Completed'].includes(await jobStatusText(page)));
    await waitForJobStatus(page, 'Completed');
    expect(await page.getByTestId('job-paused').count()).toBe(0);
    expect((await getJob(created.id)).counts).toEqual({ total: 6, pending: 0, completed: 6, failed: 0 });
  });
});
