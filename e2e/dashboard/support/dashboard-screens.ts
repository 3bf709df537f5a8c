import { Page } from 'playwright-core';
import { waitFor } from './wait-for';

/** Ways around the dashboard's screens, named as an operator would say them. */
export async function openScreen(page: Page, baseUrl: string, hash: string): Promise<void> {
  await page.goto(`${baseUrl}/#${hash}`);
  await page.locator('main h1').first().waitFor();
}

/** The id of the job whose detail screen is open (`#/job/<id>`). */
export async function openJobId(page: Page): Promise<string> {
  await page.waitForURL(/#\/job\//);
  return decodeURIComponent(new URL(page.url()).hash.replace(/^#\/job\//, ''));
}

export async function jobStatusText(page: Page): Promise<string> {
  return (await page.getByTestId('job-status').innerText()).trim();
}

/** Waits until the job detail screen shows `status`, updated live (the page is not reloaded). */
export function waitForJobStatus(page: Page, status: string, timeoutMs = 120_000): Promise<string> {
  return waitFor(`the job detail to show ${status}`, async () => ((await jobStatusText(page)) === status ? status : false), { timeoutMs });
}

export async function chosenCountText(page: Page): Promise<string> {
  return (await page.getByTestId('chosen-count').innerText()).trim();
}

/** Fills the New job form's definition: name, set and type. */
export async function defineJob(page: Page, name: string, setId: string, type: 'Property' | 'Setting' | 'Command'): Promise<void> {
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await page.getByLabel('Device set').selectOption(setId);
  await page.getByRole('radio', { name: type, exact: true }).check();
  await page.getByRole('checkbox', { name: /All devices of the set/ }).waitFor();
}

/** Adds an operation with "+" and gives it a capability and a value. */
export async function addOperation(page: Page, index: number, name: string, value: string): Promise<void> {
  await page.getByRole('button', { name: 'Add operation' }).click();
  const row = page.getByRole('group', { name: `Operation ${index + 1}` });
  await row.getByRole('combobox').first().selectOption(name);
  const input = row.getByLabel('Value');
  if ((await input.evaluate((el) => el.tagName)) === 'SELECT') await input.selectOption(value);
  else await input.fill(value);
}
