// A real OpenID Provider (oidc-provider, ESM only) for the tests, run as a child process by
// test-oidc-provider.ts. Configuration: one JSON argument (see TestOidcProviderOptions there).
// On start it prints one line of JSON to stdout: {"issuer": "http://127.0.0.1:<port>"}.
import { createServer } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import Provider, { interactionPolicy } from 'oidc-provider';

const options = JSON.parse(process.argv[2] ?? '{}');
const audience = options.audience;
const roleClaim = options.roleClaim ?? 'fleetjobs_roles';
const ttlSeconds = options.accessTokenTtlSeconds ?? 600;
/** User name → role, for the dashboard's sign-in; any other name signs in with no role. */
const users = options.users ?? { alice: 'administrator', bob: 'builder', olga: 'operator', vera: 'viewer' };
/** client_credentials clients: id → role claim value (a role, or something that is not one). */
const serviceClients = options.serviceClients ?? {
  'viewer-client': 'viewer',
  'operator-client': 'operator',
  'builder-client': 'builder',
  'administrator-client': 'administrator',
  'unknown-role-client': 'superuser',
};
const dashboardRedirectUris = options.redirectUris ?? ['http://127.0.0.1/auth/callback'];

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

// The dashboard is a native client (any loopback port) that is still first-party: no consent screen.
const policy = interactionPolicy.base();
policy.get('consent').checks.remove('native_client_prompt');

const server = createServer();
await new Promise((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    ...Object.entries(serviceClients).map(([clientId, role]) => ({
      client_id: clientId,
      client_secret: `${clientId}-secret`,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_post',
      scope: 'api',
      fleetjobs_role: role,
    })),
    {
      // The dashboard: a public client (no secret), authorization code with PKCE. A native client
      // may come back to a loopback address on any port (RFC 8252 §7.3).
      client_id: 'fleetjobs-dashboard',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: dashboardRedirectUris,
      post_logout_redirect_uris: options.postLogoutRedirectUris ?? [],
    },
  ],
  extraClientMetadata: { properties: ['fleetjobs_role'] },
  scopes: ['openid', 'offline_access', 'profile', 'email', 'api'],
  jwks: { keys: [signingKey] },
  cookies: { keys: ['fleetjobs-test-cookie-key'] },
  pkce: { required: () => true },
  clientBasedCORS: () => true,
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      // Any resource gets a JWT for itself: a token for another API is how tests get a wrong audience.
      getResourceServerInfo: (_ctx, resource) => ({
        scope: 'api',
        audience: resource,
        accessTokenTTL: ttlSeconds,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  interactions: { policy },
  ttl: {
    AccessToken: ttlSeconds,
    ClientCredentials: ttlSeconds,
    AuthorizationCode: 60,
    IdToken: 3600,
    RefreshToken: 86400,
    Interaction: 3600,
    Session: 86400,
    Grant: 86400,
  },
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email'] },
  findAccount: (_ctx, id) => ({
    accountId: id,
    claims: () => ({ sub: id, name: id, preferred_username: id, email: `${id}@example.com` }),
  }),
  extraTokenClaims: async (ctx, token) => {
    if (token.kind === 'ClientCredentials') {
      const client = await ctx.oidc.provider.Client.find(token.clientId);
      return { [roleClaim]: client?.fleetjobs_role, name: token.clientId };
    }
    if (token.accountId) {
      const role = users[token.accountId];
      return { [roleClaim]: role ? [role] : [], name: token.accountId, preferred_username: token.accountId };
    }
    return undefined;
  },
  // First-party dashboard: no consent screen; once signed in, it gets what it asks for.
  loadExistingGrant: async (ctx) => {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    if (!ctx.oidc.session.accountId) return undefined;
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile email offline_access');
    grant.addResourceScope(ctx.oidc.params.resource ?? audience, 'api');
    await grant.save();
    ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId, grant.jti);
    return grant;
  },
});
provider.on('server_error', (_ctx, error) => process.stderr.write(`oidc-provider: ${error.stack}\n`));

server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ issuer })}\n`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
