import { ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * A real OpenID Provider for the tests: `oidc-provider` (ESM only) in a child process, spoken to
 * over HTTP. It signs JWT access tokens (RS256, its own JWKS at `jwksUri`) for `audience`, with
 * the role in the claim `fleetjobs_roles`:
 *
 * - client_credentials clients, one per role: `viewer-client`, `operator-client`,
 *   `builder-client`, `administrator-client` (secret: `<client id>-secret`, auth method
 *   client_secret_post, scope `api`), and `unknown-role-client` whose role claim is `superuser`.
 *   `clientToken('operator-client')` gets one of their tokens; `clientToken(id, {resource})` one
 *   for another API (a wrong audience).
 * - `fleetjobs-dashboard`: a public client (no secret) for the authorization-code flow with PKCE
 *   (S256 required), scopes `openid profile email` (and `offline_access`). It is a native client:
 *   its redirect URIs (`redirectUris`, default `http://127.0.0.1/auth/callback`) match on any
 *   loopback port. Sign-in is the provider's development login page: a form with the fields
 *   `login` (the user name) and `password` (anything) and a "Sign-in" button; there is no
 *   consent screen. The user name decides the role: `alice` administrator, `bob` builder,
 *   `olga` operator, `vera` viewer (`users` to change); any other name signs in with no role.
 *   `userToken('olga')` runs that flow over HTTP, without a browser. CORS is open to any origin.
 * - Discovery at `${issuer}/.well-known/openid-configuration`; tokens live `accessTokenTtlSeconds`
 *   (default 600).
 */
export interface TestOidcProviderOptions {
  /** The API the access tokens are for (their `aud`), the resource when none is named. */
  audience: string;
  /** Default `fleetjobs_roles`. */
  roleClaim?: string;
  /** The dashboard client's redirect URIs; loopback ones match on any port. */
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  accessTokenTtlSeconds?: number;
  /** User name → role (or any string: an unknown role) for the dashboard sign-in. */
  users?: Record<string, string>;
  /** client_credentials client id → its role claim. */
  serviceClients?: Record<string, string>;
  /** Fixed port; default, any free one. */
  port?: number;
}

export interface TestOidcProvider {
  /** `http://127.0.0.1:<port>`: `OIDC_ISSUER`. */
  issuer: string;
  /** `${issuer}/jwks`: `OIDC_JWKS_URI`, if discovery is not wanted. */
  jwksUri: string;
  /** `OIDC_AUDIENCE`. */
  audience: string;
  /** `OIDC_CLIENT_ID` of the dashboard. */
  dashboardClientId: string;
  /** An access token of a client_credentials client (`operator-client`…). */
  clientToken(clientId: string, options?: { resource?: string }): Promise<string>;
  /** An access token of a user, signed in through the dashboard's client (code flow + PKCE). */
  userToken(userName: string, options?: { redirectUri?: string }): Promise<string>;
  stop(): Promise<void>;
}

/** Starts the provider and resolves once it serves. */
export async function startTestOidcProvider(options: TestOidcProviderOptions): Promise<TestOidcProvider> {
  const child = spawn(process.execPath, [childScript(), JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const issuer = await announcedIssuer(child, () => stderr);
  const redirectUri = options.redirectUris?.[0] ?? 'http://127.0.0.1/auth/callback';

  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    audience: options.audience,
    dashboardClientId: 'fleetjobs-dashboard',
    async clientToken(clientId, { resource = options.audience } = {}) {
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: `${clientId}-secret`, scope: 'api', resource }),
      });
      const body = (await response.json()) as { access_token?: string; error_description?: string };
      if (!response.ok || !body.access_token) throw new Error(`no token for ${clientId}: ${response.status} ${body.error_description ?? ''}`);
      return body.access_token;
    },
    userToken: (userName, { redirectUri: redirect = redirectUri } = {}) => signIn(issuer, userName, redirect),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The child's script: next to this file in the sources; from a build in dist/, the source's. */
function childScript(): string {
  const beside = join(__dirname, 'oidc-provider.child.mjs');
  if (existsSync(beside)) return beside;
  let directory = __dirname;
  while (!existsSync(join(directory, 'nx.json')) && dirname(directory) !== directory) directory = dirname(directory);
  return join(directory, 'libs', 'testing', 'src', 'oidc', 'oidc-provider.child.mjs');
}

function announcedIssuer(child: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('the test OpenID provider did not start within 20 s')), 20_000);
    const lines = createInterface({ input: child.stdout! });
    const fail = (error: Error) => {
      clearTimeout(timer);
      lines.close();
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\n${stderr()}`));
    };
    // oidc-provider prints notices on stdout too; the announcement is the line with an issuer.
    lines.on('line', (line) => {
      try {
        const { issuer } = JSON.parse(line) as { issuer?: string };
        if (!issuer) return;
        clearTimeout(timer);
        lines.removeAllListeners('line');
        child.stdout?.resume();
        resolve(issuer);
      } catch {
        // a notice, not the announcement
      }
    });
    child.once('exit', (code) => fail(new Error(`the test OpenID provider exited (${code})`)));
  });
}

/** The dashboard's sign-in, driven over HTTP: authorize, log in on the dev page, take the code, redeem it with the verifier. */
async function signIn(issuer: string, userName: string, redirectUri: string): Promise<string> {
  const cookies = new Map<string, string>();
  const go = async (url: string, init: RequestInit = {}): Promise<string> => {
    const response = await fetch(new URL(url, issuer), {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    for (const cookie of response.headers.getSetCookie()) {
      const pair = cookie.split(';', 1)[0];
      cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    const location = response.headers.get('location');
    if (response.status !== 303 && response.status !== 302) throw new Error(`sign-in of ${userName}: ${url} answered ${response.status}`);
    return new URL(location!, issuer).toString();
  };
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(8).toString('hex');
  const query = new URLSearchParams({
    client_id: 'fleetjobs-dashboard',
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: 'openid profile email',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state,
  });
  const loginPage = await go(`/auth?${query}`);
  const resume = await go(loginPage, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ prompt: 'login', login: userName, password: 'any' }).toString(),
  });
  const callback = new URL(await go(resume));
  const code = callback.searchParams.get('code');
  if (!code || callback.searchParams.get('state') !== state) throw new Error(`sign-in of ${userName} ended at ${callback}`);
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: 'fleetjobs-dashboard', code_verifier: verifier }),
  });
  const body = (await response.json()) as { access_token?: string; error_description?: string };
  if (!body.access_token) throw new Error(`sign-in of ${userName}: token endpoint answered ${response.status} ${body.error_description ?? ''}`);
  return body.access_token;
}
