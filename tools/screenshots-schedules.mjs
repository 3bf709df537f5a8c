// The recurring-schedule screens of tools/screenshots.mjs: the New job form's Repeat with its next
// runs, and one schedule with its runs.

/** The Schedule section set to repeat every Saturday evening in Berlin, eight times. */
export async function shootRepeatForm({ page, open, shoot, scene }) {
  await open(`/jobs/new?set=${scene.seattle}`);
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Weekend eco mode');
  await page.getByRole('radio', { name: 'Setting', exact: true }).check();
  await page.getByRole('button', { name: 'Add operation' }).click();
  const operation = page.getByRole('group', { name: 'Operation 1' });
  await operation.getByRole('combobox').first().selectOption('ecoMode');
  await operation.getByLabel('Value').selectOption('true');
  await page.getByRole('checkbox', { name: /All devices of the set/ }).check();
  const section = page.getByTestId('schedule-section');
  await section.getByLabel('Repeat', { exact: true }).selectOption('weekly');
  await section.getByLabel('Day of the week').selectOption('sat');
  await section.getByLabel('Time of day').fill('22:00');
  await section.getByLabel('Time zone', { exact: true }).fill('Europe/Berlin');
  await section.getByLabel('Ends').selectOption('count');
  await section.getByLabel('Number of runs').fill('8');
  await section.getByTestId('next-run').nth(2).waitFor();
  await page.getByTestId('preview-total').waitFor();
  await page.waitForFunction(() => !document.querySelector('.picker tbody[aria-busy="true"]'));
  await section.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shoot('schedule-repeat-form');
}

/** A schedule every 20 s for four runs, shot once its first run has ended, its second is under way and its third waits; deleted after. */
export async function shootScheduleDetail({ page, open, shoot, scene, api, waitUntil }) {
  const run1 = await api('POST', '/api/jobs', {
    displayName: 'Eco mode check',
    description: 'Every 20 seconds, four times',
    deviceSet: scene.seattle,
    // Not fanSpeed: the batched job of the scene still writes that on these devices.
    operations: [{ type: 'setting', name: 'ecoMode', value: false }],
    schedule: { recurrence: { cron: '*/20 * * * * *', timeZone: 'UTC', count: 4 } },
  });
  const id = encodeURIComponent(run1.scheduleId);
  try {
    await waitUntil('the schedule to have made its third run', async () => {
      const schedule = await api('GET', `/api/schedules/${id}`);
      const job = (jobId) => api('GET', `/api/jobs/${encodeURIComponent(jobId)}`);
      return schedule.runs >= 3 && (await job(run1.id)).endedAt && (await job(schedule.lastRunId)).startedAt;
    });
    await open(`/schedule/${id}`);
    await page.getByTestId('schedule-run').nth(2).waitFor();
    await shoot('schedule-detail');
  } finally {
    await api('DELETE', `/api/schedules/${id}`).catch(() => undefined);
  }
}
