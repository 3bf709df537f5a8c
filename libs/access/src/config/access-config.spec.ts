import { AccessConfigError, authClientConfig, readAccessConfig } from './access-config';

const issuerEnv = { OIDC_ISSUER: 'https://id.example.com/', OIDC_AUDIENCE: 'https://fleetjobs.example.com' };
const bootstrap = `fjt_bootstrap_${'a'.repeat(43)}`;

describe('readAccessConfig', () => {
  it('defaults to authentication on, API tokens only', () => {
    expect(readAccessConfig({})).toEqual({ auth: 'on', oidc: null, adminToken: null });
  });

  it('reads an issuer with its audience, default role claim and scopes', () => {
    expect(readAccessConfig({ ...issuerEnv, OIDC_CLIENT_ID: 'fleetjobs-dashboard' }).oidc).toEqual({
      issuer: 'https://id.example.com/',
      audience: 'https://fleetjobs.example.com',
      roleClaim: 'fleetjobs_roles',
      jwksUri: null,
      clientId: 'fleetjobs-dashboard',
      scopes: 'openid profile email',
    });
  });

  it('reads the role claim, keys and scopes when given', () => {
    const config = readAccessConfig({ ...issuerEnv, OIDC_ROLE_CLAIM: 'roles', OIDC_JWKS_URI: 'https://id.example.com/keys', OIDC_SCOPES: 'openid' });
    expect(config.oidc).toMatchObject({ roleClaim: 'roles', jwksUri: 'https://id.example.com/keys', scopes: 'openid' });
  });

  it('reads AUTH=off in any case', () => {
    expect(readAccessConfig({ AUTH: 'OFF' }).auth).toBe('off');
  });

  it('keeps a well-formed bootstrap token', () => {
    expect(readAccessConfig({ FLEETJOBS_ADMIN_TOKEN: bootstrap }).adminToken).toBe(bootstrap);
  });

  it.each([
    [{ AUTH: 'maybe' }, /AUTH must be "on" or "off", got "maybe"/],
    [{ OIDC_ISSUER: 'https://id.example.com' }, /OIDC_AUDIENCE must be set with OIDC_ISSUER/],
    [{ OIDC_ISSUER: 'id.example.com', OIDC_AUDIENCE: 'x' }, /OIDC_ISSUER must be an http\(s\) URL, got "id.example.com"/],
    [{ ...issuerEnv, OIDC_JWKS_URI: 'ftp://id.example.com/keys' }, /OIDC_JWKS_URI must be an http\(s\) URL/],
    [{ OIDC_AUDIENCE: 'x', OIDC_CLIENT_ID: 'y' }, /OIDC_AUDIENCE, OIDC_CLIENT_ID set without OIDC_ISSUER/],
    [{ FLEETJOBS_ADMIN_TOKEN: 'hunter2' }, /FLEETJOBS_ADMIN_TOKEN must look like fjt_bootstrap_<secret>/],
    [{ FLEETJOBS_ADMIN_TOKEN: `fjt_other_${'a'.repeat(43)}` }, /FLEETJOBS_ADMIN_TOKEN must look like fjt_bootstrap_<secret>/],
  ])('refuses %j at start, saying why', (env, message) => {
    expect(() => readAccessConfig(env)).toThrow(AccessConfigError);
    expect(() => readAccessConfig(env)).toThrow(message);
  });
});

describe('authClientConfig', () => {
  it('tells the dashboard to sign in at the issuer', () => {
    expect(authClientConfig(readAccessConfig({ ...issuerEnv, OIDC_CLIENT_ID: 'dash' }))).toEqual({
      mode: 'oidc',
      issuer: 'https://id.example.com/',
      clientId: 'dash',
      scopes: 'openid profile email',
    });
  });

  it('tells it to ask for an API token without an issuer', () => {
    expect(authClientConfig(readAccessConfig({}))).toEqual({ mode: 'token' });
  });

  it('tells it authentication is off', () => {
    expect(authClientConfig(readAccessConfig({ AUTH: 'off', ...issuerEnv }))).toEqual({ mode: 'off' });
  });
});
