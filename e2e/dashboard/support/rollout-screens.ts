import { Locator, Page } from 'playwright-core';

/** The Rollout section of the New job form and the rollout of a job detail, as the browser tests use them. */
export function rolloutSection(page: Page): Locator {
  return page.getByTestId('rollout-section');
}

export async function openRolloutSection(page: Page): Promise<Locator> {
  const section = rolloutSection(page);
  await section.getByRole('checkbox', { name: /Roll out in batches/ }).check();
  await section.getByRole('group', { name: 'Batches' }).waitFor();
  return section;
}

/** The error text a control points at with aria-describedby. */
export async function fieldErrorOf(control: Locator): Promise<string> {
  return control.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' '),
  );
}

/** Each batch row of the job detail as its cells' text: batch, devices, completed, failed, state. */
export async function batchRowsText(page: Page): Promise<string[][]> {
  return page.getByTestId('rollout-batch').evaluateAll((rows) =>
    rows.map((row) => Array.from(row.querySelectorAll('td'), (cell) => (cell.textContent ?? '').trim())),
  );
}
