import { Page } from 'playwright-core';
import { FleetjobsRest } from './fleetjobs-rest';
import { uniqueId } from './unique-id';

export type Role = 'viewer' | 'operator' | 'builder' | 'administrator';

/** A new API token with `role`, created by the administrator the REST client speaks for; answers its name and secret. */
export async function createApiToken(rest: FleetjobsRest, role: Role): Promise<{ name: string; token: string }> {
  const name = uniqueId(`e2e ${role}`);
  const created = await rest.call<{ token: string }>('POST', '/api/tokens', { name, role });
  return { name, token: created.token };
}

/** Signs the browser in with the quick start's one-time link and waits until the dashboard says who is signed in. */
export async function signInWithLink(page: Page, baseUrl: string, token: string): Promise<void> {
  await page.goto(`${baseUrl}/#/sign-in?token=${encodeURIComponent(token)}`);
  await page.getByTestId('session').waitFor();
}

/** Who the dashboard's header says is signed in. */
export async function signedInAs(page: Page): Promise<{ name: string; role: string }> {
  const session = page.getByTestId('session');
  return {
    name: (await session.getByTestId('session-name').innerText()).trim(),
    role: (await session.getByTestId('session-role').innerText()).trim(),
  };
}
