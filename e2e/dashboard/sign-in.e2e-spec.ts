import { DashboardBrowser, openDashboardBrowser } from './support/dashboard-browser';
import { jobStatusText } from './support/dashboard-screens';
import { createApiToken, signedInAs, signInWithLink } from './support/dashboard-sign-in';
import { FleetjobsRest } from './support/fleetjobs-rest';
import { systemAdminToken, systemUrl } from './support/system-url';
import { createTestFleet } from './support/test-fleet';
import { waitFor } from './support/wait-for';

describe('dashboard: signing in with API tokens, and what each role sees', () => {
  const url = systemUrl();
  const rest = new FleetjobsRest(url, systemAdminToken());
  let browser: DashboardBrowser | undefined;

  beforeAll(() => rest.assertReachable());
  beforeEach(async () => {
    browser = await openDashboardBrowser();
  });
  afterEach(async () => browser?.close());
  const page = () => browser!.page;

  it('asks to sign in first, signs in with a pasted API token, keeps it in the tab, and signs out', async () => {
    const operator = await createApiToken(rest, 'operator');
    await page().goto(`${url}/#/jobs`);
    await page().getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page().getByRole('navigation', { name: 'Main' }).count()).toBe(0);

    await page().getByRole('textbox', { name: 'API token' }).fill(operator.token);
    await page().getByRole('button', { name: 'Sign in with token' }).click();
    await page().getByRole('heading', { name: 'Jobs' }).waitFor();
    expect(await signedInAs(page())).toEqual({ name: operator.name, role: 'operator' });

    await page().reload();
    await page().getByRole('heading', { name: 'Jobs' }).waitFor();
    expect((await signedInAs(page())).role).toBe('operator');

    await page().getByRole('button', { name: 'Sign out' }).click();
    await page().getByRole('heading', { name: 'Sign in' }).waitFor();
    await page().reload();
    await page().getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page().getByTestId('session').count()).toBe(0);
  });

  it('says why a revoked token is refused', async () => {
    const revoked = await createApiToken(rest, 'viewer');
    const id = /^fjt_([^_]+)_/.exec(revoked.token)?.[1];
    await rest.call('DELETE', `/api/tokens/${id}`);
    await page().goto(`${url}/#/jobs`);
    await page().getByRole('textbox', { name: 'API token' }).fill(revoked.token);
    await page().getByRole('button', { name: 'Sign in with token' }).click();
    expect(await page().getByRole('alert').innerText()).toMatch(/^The API did not accept this token: /);
    expect(await page().getByTestId('session').count()).toBe(0);
  });

  it('signs in from the one-time link; the token leaves the address bar and never reaches the server in a URL', async () => {
    const admin = systemAdminToken();
    if (!admin) throw new Error('The system under test published no administrator token (FLEETJOBS_ADMIN_TOKEN)');
    // The secret is base64url, which may itself hold '_': everything after `fjt_<id>_`.
    const secret = /^fjt_[a-z0-9]+_(.+)$/.exec(admin)?.[1];
    if (!secret || secret.length < 32) throw new Error(`FLEETJOBS_ADMIN_TOKEN is not fjt_<id>_<secret>: ${admin.slice(0, 12)}…`);
    const urls: string[] = [];
    // What the server receives of each request's address: everything before the fragment.
    page().on('request', (request) => urls.push(request.url().split('#')[0]));

    await signInWithLink(page(), url, admin);
    await page().getByRole('heading', { name: 'Jobs' }).waitFor();
    expect((await signedInAs(page())).role).toBe('administrator');
    expect(new URL(page().url()).hash).toBe('#/jobs');
    expect(page().url()).not.toContain(secret);
    expect(urls.length).toBeGreaterThan(0);
    expect(urls.filter((u) => u.includes(secret))).toEqual([]);
  });

  it('shows a viewer no Run, Stop or Pause, where an operator has them', async () => {
    // One device per batch and an hour between batches: the job stays running after its first device.
    const fleet = await createTestFleet(rest, 'e2e-viewer', { devices: 2 });
    const job = await rest.call<{ id: string }>('POST', '/api/jobs', {
      displayName: 'Fan speed, one machine an hour',
      deviceSet: fleet.setId,
      operations: [{ type: 'setting', name: 'fanSpeed', value: 3 }],
      rollout: { batches: { size: 1 }, pauseBetweenSeconds: 3600 },
    });
    await rest.waitForJob(job.id, 'running', (j) => j.status === 'running');
    const viewer = await createApiToken(rest, 'viewer');
    const operator = await createApiToken(rest, 'operator');

    await signInWithLink(page(), url, viewer.token);
    await page().goto(`${url}/#/job/${encodeURIComponent(job.id)}`);
    await waitFor('the job shown running', async () => (await jobStatusText(page())) === 'Running');
    expect((await signedInAs(page())).role).toBe('viewer');
    for (const name of ['Stop', 'Pause', 'Resume', 'Approve', 'Copy to a new job']) {
      expect(await page().getByRole('button', { name, exact: true }).count()).toBe(0);
    }
    await page().goto(`${url}/#/jobs`);
    await page().getByTestId('job-row').first().waitFor();
    expect(await page().getByRole('link', { name: 'New job' }).count()).toBe(0);
    await page().goto(`${url}/#/jobs/new`);
    await page().getByTestId('role-needed').waitFor();
    expect(await page().getByRole('button', { name: 'Run' }).count()).toBe(0);

    await browser!.close();
    browser = await openDashboardBrowser();
    await signInWithLink(page(), url, operator.token);
    await page().goto(`${url}/#/job/${encodeURIComponent(job.id)}`);
    await page().getByRole('button', { name: 'Stop', exact: true }).waitFor();
    await page().getByRole('button', { name: 'Pause', exact: true }).waitFor();
    await page().goto(`${url}/#/jobs/new`);
    await page().getByRole('button', { name: 'Run' }).waitFor();
    await rest.stopJob(job.id);
  });
});
