import { parseApiToken } from '../tokens/api-token';

/** How the public edge authenticates, read once at start from the environment. */
export interface AccessConfig {
  /** `off` only for local experiments: every request acts as an administrator. */
  auth: 'on' | 'off';
  /** Absent: only API tokens are accepted. */
  oidc: OidcConfig | null;
  /** `FLEETJOBS_ADMIN_TOKEN`: a bootstrap administrator API token, stored (as a hash) on start. */
  adminToken: string | null;
}

export interface OidcConfig {
  /** `OIDC_ISSUER`: the `iss` every accepted JWT carries. */
  issuer: string;
  /** `OIDC_AUDIENCE`: an `aud` every accepted JWT carries. */
  audience: string;
  /** `OIDC_ROLE_CLAIM`: the claim naming the role(s), a string or an array (default `fleetjobs_roles`). */
  roleClaim: string;
  /** `OIDC_JWKS_URI`: the issuer's keys; default, the `jwks_uri` of its discovery document. */
  jwksUri: string | null;
  /** `OIDC_CLIENT_ID`: the dashboard's client at the issuer. */
  clientId: string | null;
  /** `OIDC_SCOPES`: what the dashboard asks for when it signs in. */
  scopes: string;
}

/** What the dashboard's sign-in page needs to know (`GET /api/auth/config`). */
export interface AuthClientConfig {
  mode: 'oidc' | 'token' | 'off';
  issuer?: string;
  clientId?: string;
  scopes?: string;
}

export const DEFAULT_ROLE_CLAIM = 'fleetjobs_roles';
export const DEFAULT_OIDC_SCOPES = 'openid profile email';

/** A configuration the process must not start with; the message names the variable and what is wrong. */
export class AccessConfigError extends Error {
  constructor(message: string) {
    super(`access configuration: ${message}`);
    this.name = 'AccessConfigError';
  }
}

type Env = Record<string, string | undefined>;

const value = (env: Env, name: string): string | null => {
  const raw = env[name]?.trim();
  return raw ? raw : null;
};

function httpUrl(env: Env, name: string): string | null {
  const raw = value(env, name);
  if (raw === null) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AccessConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new AccessConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  return raw;
}

/** Reads and checks the access configuration; throws `AccessConfigError` for a bad one. */
export function readAccessConfig(env: Env = process.env): AccessConfig {
  const auth = (value(env, 'AUTH') ?? 'on').toLowerCase();
  if (auth !== 'on' && auth !== 'off') throw new AccessConfigError(`AUTH must be "on" or "off", got "${env.AUTH}"`);

  const issuer = httpUrl(env, 'OIDC_ISSUER');
  const audience = value(env, 'OIDC_AUDIENCE');
  const jwksUri = httpUrl(env, 'OIDC_JWKS_URI');
  let oidc: OidcConfig | null = null;
  if (issuer) {
    if (!audience) throw new AccessConfigError('OIDC_AUDIENCE must be set with OIDC_ISSUER: tokens are accepted only for this API');
    const roleClaim = value(env, 'OIDC_ROLE_CLAIM') ?? DEFAULT_ROLE_CLAIM;
    oidc = { issuer, audience, roleClaim, jwksUri, clientId: value(env, 'OIDC_CLIENT_ID'), scopes: value(env, 'OIDC_SCOPES') ?? DEFAULT_OIDC_SCOPES };
  } else {
    const stray = ['OIDC_AUDIENCE', 'OIDC_JWKS_URI', 'OIDC_CLIENT_ID', 'OIDC_ROLE_CLAIM'].filter((name) => value(env, name) !== null);
    if (stray.length > 0) throw new AccessConfigError(`${stray.join(', ')} set without OIDC_ISSUER: set the issuer, or unset them`);
  }

  const adminToken = value(env, 'FLEETJOBS_ADMIN_TOKEN');
  if (adminToken !== null) {
    const parsed = parseApiToken(adminToken);
    if (!parsed || parsed.id !== BOOTSTRAP_TOKEN_ID) {
      throw new AccessConfigError('FLEETJOBS_ADMIN_TOKEN must look like fjt_bootstrap_<secret>, the secret at least 32 characters of A-Z a-z 0-9 - _');
    }
  }
  return { auth, oidc, adminToken };
}

/** Id of the API token `FLEETJOBS_ADMIN_TOKEN` stands for. */
export const BOOTSTRAP_TOKEN_ID = 'bootstrap';

/** The answer of `GET /api/auth/config`. */
export function authClientConfig(config: AccessConfig): AuthClientConfig {
  if (config.auth === 'off') return { mode: 'off' };
  if (!config.oidc) return { mode: 'token' };
  return {
    mode: 'oidc',
    issuer: config.oidc.issuer,
    ...(config.oidc.clientId ? { clientId: config.oidc.clientId } : {}),
    scopes: config.oidc.scopes,
  };
}
