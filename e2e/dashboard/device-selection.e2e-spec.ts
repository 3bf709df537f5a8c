import { addOperation, chosenCountText, defineJob, openJobId } from './support/dashboard-screens';
import { createTestFleet, TestFleet } from './support/test-fleet';
import { waitFor } from './support/wait-for';
import { withDashboard } from './support/with-dashboard';

describe('dashboard: all devices of a set vs the devices of one page', () => {
  const dashboard = withDashboard();
  const { rest } = dashboard;
  let fleet: TestFleet;

  beforeAll(async () => {
    // Twelve devices: the picker shows ten a page, so the set spans two pages.
    fleet = await createTestFleet(rest, 'e2e-select', { devices: 12 });
  });

  it('the header checkbox targets the whole set: the job carries no device list', async () => {
    const { page } = dashboard;
    await dashboard.open('/jobs/new');
    await defineJob(page, 'Whole set', fleet.setId, 'Setting');
    await addOperation(page, 0, 'ecoMode', 'true');
    await page.getByRole('checkbox', { name: /All devices of the set/ }).check();
    await page.getByTestId('chosen-count').filter({ hasText: 'All 12 devices of the set chosen' }).waitFor();
    await page.getByRole('button', { name: 'Run' }).click();

    const job = await rest.waitForJob(await openJobId(page), 'to target 12 devices', (j) => j.counts.total === 12);
    expect(job.devices).toBeNull();
  });

  it('the checkbox by Name chooses this page only, and choices add up across pages', async () => {
    const { page } = dashboard;
    await dashboard.open('/jobs/new');
    await defineJob(page, 'One page and one more', fleet.setId, 'Setting');
    await addOperation(page, 0, 'fanSpeed', '2');
    const rowBoxes = page.getByRole('checkbox', { name: /^Choose Vending machine/ });
    await rowBoxes.nth(9).waitFor();
    const firstPage = await page.locator('.picker tbody code').allInnerTexts();
    expect(firstPage).toHaveLength(10);

    await page.getByRole('checkbox', { name: 'Choose every device on this page' }).check();
    expect(await chosenCountText(page)).toBe('10 devices chosen');
    await page.getByRole('button', { name: /Next/ }).click();
    const secondPage = await waitFor('the second page of devices', async () => {
      const ids = await page.locator('.picker tbody code').allInnerTexts();
      return ids.length > 0 && !ids.includes(firstPage[0]) && ids;
    });
    expect(secondPage).toHaveLength(2);
    await rowBoxes.first().check();
    expect(await chosenCountText(page)).toBe('11 devices chosen');
    await page.getByRole('button', { name: 'Run' }).click();

    const job = await rest.waitForJob(await openJobId(page), 'to target 11 devices', (j) => j.counts.total === 11);
    expect([...(job.devices ?? [])].sort()).toEqual([...firstPage, secondPage[0]].sort());
  });
});
