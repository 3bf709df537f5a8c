import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedProcess, startEmbeddedProcess } from '@fleetjobs/runtime';
import { startTestOidcProvider, TestOidcProvider } from '@fleetjobs/testing';
import { DashboardBrowser, openDashboardBrowser } from './support/dashboard-browser';
import { jobStatusText } from './support/dashboard-screens';
import { signedInAs } from './support/dashboard-sign-in';
import { FleetjobsRest } from './support/fleetjobs-rest';
import { createTestFleet } from './support/test-fleet';
import { waitFor } from './support/wait-for';

/** A system of this suite's own, whose public edge trusts the test provider and names it to the dashboard. */
const PORT = 3952;
const AUDIENCE = 'https://fleetjobs.test/api';

describe('dashboard: sign-in through the OpenID provider (authorization code + PKCE)', () => {
  let provider: TestOidcProvider;
  let system: EmbeddedProcess;
  let rest: FleetjobsRest;
  let browser: DashboardBrowser | undefined;
  const page = () => browser!.page;

  beforeAll(async () => {
    provider = await startTestOidcProvider({
      audience: AUDIENCE,
      redirectUris: ['http://127.0.0.1/'],
      postLogoutRedirectUris: [`http://127.0.0.1:${PORT}/`],
    });
    system = await startEmbeddedProcess({
      port: PORT,
      dataDir: join(mkdtempSync(join(tmpdir(), 'fleetjobs-e2e-oidc-')), 'data'),
      env: {
        LOG_LEVEL: 'warn',
        OIDC_ISSUER: provider.issuer,
        OIDC_AUDIENCE: AUDIENCE,
        OIDC_CLIENT_ID: provider.dashboardClientId,
        OIDC_SCOPES: 'openid profile email',
      },
    });
    rest = new FleetjobsRest(system.baseUrl, system.adminToken);
  });
  afterAll(async () => {
    await system?.stop();
    await provider?.stop();
  });
  beforeEach(async () => {
    browser = await openDashboardBrowser();
  });
  afterEach(async () => browser?.close());

  /** From the dashboard's sign-in page to the provider's login page and back, as `user`. */
  async function signInAtProvider(user: string): Promise<void> {
    await page().getByRole('button', { name: /^Sign in with 127\.0\.0\.1:/ }).click();
    await page().waitForURL((url) => url.origin === provider.issuer);
    await page().locator('input[name="login"]').fill(user);
    await page().locator('input[name="password"]').fill('any password');
    await page().getByRole('button', { name: 'Sign-in' }).click();
    await page().waitForURL((url) => url.origin === system.baseUrl);
    await page().getByTestId('session').waitFor();
  }

  it('signs an operator in with the code flow and PKCE, comes back to the screen asked for, and calls the API with the JWT', async () => {
    const authorizeRequests: URL[] = [];
    const apiAuthorizations: string[] = [];
    page().on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin === provider.issuer && url.pathname === '/auth') authorizeRequests.push(url);
      if (url.origin === system.baseUrl && url.pathname.startsWith('/api/jobs')) apiAuthorizations.push(request.headers().authorization ?? '');
    });

    await page().goto(`${system.baseUrl}/#/device-sets`);
    await page().getByRole('heading', { name: 'Sign in' }).waitFor();
    await signInAtProvider('olga');

    expect(await signedInAs(page())).toEqual({ name: 'olga', role: 'operator' });
    await page().getByRole('heading', { name: 'Device sets' }).waitFor();
    const back = new URL(page().url());
    expect(back.search).toBe('');
    expect(back.hash).toBe('#/device-sets');

    expect(authorizeRequests).toHaveLength(1);
    const authorize = authorizeRequests[0].searchParams;
    expect(authorize.get('client_id')).toBe('fleetjobs-dashboard');
    expect(authorize.get('response_type')).toBe('code');
    expect(authorize.get('code_challenge_method')).toBe('S256');
    expect(authorize.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.get('redirect_uri')).toBe(`${system.baseUrl}/`);

    await page().goto(`${system.baseUrl}/#/jobs`);
    await page().getByRole('link', { name: 'New job' }).waitFor();
    expect(apiAuthorizations.length).toBeGreaterThan(0);
    for (const authorization of apiAuthorizations) expect(authorization).toMatch(/^Bearer eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('a viewer signed in at the provider sees no Stop on a running job, and signs out', async () => {
    // One device per batch and an hour between batches: the job stays running after its first device.
    const fleet = await createTestFleet(rest, 'e2e-oidc-viewer', { devices: 2 });
    const job = await rest.call<{ id: string }>('POST', '/api/jobs', {
      displayName: 'Fan speed, one machine an hour',
      deviceSet: fleet.setId,
      operations: [{ type: 'setting', name: 'fanSpeed', value: 3 }],
      rollout: { batches: { size: 1 }, pauseBetweenSeconds: 3600 },
    });
    await rest.waitForJob(job.id, 'running', (j) => j.status === 'running');

    await page().goto(`${system.baseUrl}/#/job/${encodeURIComponent(job.id)}`);
    await page().getByRole('heading', { name: 'Sign in' }).waitFor();
    await signInAtProvider('vera');
    expect((await signedInAs(page())).role).toBe('viewer');
    await waitFor('the job shown running', async () => (await jobStatusText(page())) === 'Running');
    expect(await page().getByRole('button', { name: 'Stop', exact: true }).count()).toBe(0);
    expect(await page().getByRole('button', { name: 'Pause', exact: true }).count()).toBe(0);

    await page().getByRole('button', { name: 'Sign out' }).click();
    await page().waitForURL((url) => url.origin === provider.issuer);
    await page().getByRole('button', { name: /sign me out/i }).click();
    await page().waitForURL((url) => url.origin === system.baseUrl);
    await page().getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page().getByTestId('session').count()).toBe(0);
    await rest.stopJob(job.id);
  });
});
