import { Page } from 'playwright-core';
import { DashboardBrowser, openDashboardBrowser } from './dashboard-browser';
import { openScreen } from './dashboard-screens';
import { signInWithLink } from './dashboard-sign-in';
import { FleetjobsRest } from './fleetjobs-rest';
import { systemAdminToken, systemUrl } from './system-url';

/** The running system and a browser on its dashboard, shared by the tests of one `describe`. */
export interface DashboardSession {
  readonly rest: FleetjobsRest;
  /** The browser's page; open from `beforeAll` on. */
  readonly page: Page;
  /** Goes to a screen by its hash path (`/jobs/new`) and waits for its title. */
  open(hash: string): Promise<void>;
}

/**
 * Call inside `describe`: checks that the system answers and opens the browser before the tests,
 * and closes it after them.
 */
export function withDashboard(): DashboardSession {
  const url = systemUrl();
  const rest = new FleetjobsRest(url, systemAdminToken());
  let browser: DashboardBrowser | undefined;

  beforeAll(async () => {
    await rest.assertReachable();
    browser = await openDashboardBrowser();
    // The browser signs in as the system's administrator with the quick start's one-time link.
    const token = systemAdminToken();
    if (token) await signInWithLink(browser.page, url, token);
  });
  afterAll(async () => browser?.close());

  const page = (): Page => {
    if (!browser) throw new Error('The dashboard browser opens in beforeAll; use the page inside a test');
    return browser.page;
  };
  return {
    rest,
    get page() {
      return page();
    },
    open: (hash) => openScreen(page(), url, hash),
  };
}
