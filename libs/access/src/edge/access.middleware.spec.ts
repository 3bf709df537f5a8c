import type { Actor } from '@fleetjobs/contracts';
import { decodeActorHeader, encodeActorHeader } from '@fleetjobs/http-kit';
import type { Request, Response } from 'express';
import { createLocalJWKSet, exportJWK, generateKeyPair, JWTPayload, SignJWT } from 'jose';
import { AccessConfig, readAccessConfig } from '../config/access-config';
import { accessEdge, AccessEdgeOptions, ANONYMOUS_ACTOR } from './access.middleware';

const ISSUER = 'https://id.example.com';
const AUDIENCE = 'https://fleetjobs.example.com';
const operatorToken = `fjt_abc123_${'o'.repeat(43)}`;
const operator: Actor = { id: 'token:abc123', name: 'deploy script', role: 'operator' };

interface Outcome {
  passed: boolean;
  status?: number;
  headers: Record<string, string>;
  body?: { status: number; detail: string; instance?: string; errors: { field: string; message: string }[] };
  forwardedActor?: Actor | null;
}

/** Runs the middleware on one request and reports whether it passed it on or what it answered. */
async function decide(
  handler: ReturnType<typeof accessEdge>,
  method: string,
  url: string,
  headers: Record<string, string> = {},
): Promise<Outcome> {
  const request = { method, url, originalUrl: url, headers: { ...headers }, ip: '203.0.113.7' } as unknown as Request;
  return new Promise((resolve, reject) => {
    const outcome: Outcome = { passed: false, headers: {} };
    const response = {
      setHeader: (name: string, value: string) => (outcome.headers[name.toLowerCase()] = value),
      status: (status: number) => ((outcome.status = status), response),
      type: (type: string) => ((outcome.headers['content-type'] = type), response),
      send: (body: string) => resolve({ ...outcome, body: JSON.parse(body) }),
    } as unknown as Response;
    handler(request, response, (error?: unknown) => {
      if (error) return reject(error);
      const header = request.headers['x-fleetjobs-actor'];
      resolve({ ...outcome, passed: true, forwardedActor: typeof header === 'string' ? decodeActorHeader(header) : undefined });
    });
  });
}

let signingKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let keys: ReturnType<typeof createLocalJWKSet>;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  signingKey = pair.privateKey;
  keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' }] });
});

function jwt(claims: JWTPayload, { issuer = ISSUER, audience = AUDIENCE, expiresIn = '5m' } = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(signingKey);
}

function edge(env: Record<string, string> = {}, overrides: Partial<AccessEdgeOptions> = {}) {
  const config: AccessConfig = readAccessConfig({ OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: AUDIENCE, ...env });
  return accessEdge({
    config,
    verifyApiToken: async (credential) => (credential === operatorToken ? operator : null),
    jwt: { keys },
    logger: { warn: () => undefined },
    ...overrides,
  });
}

describe('the access edge', () => {
  it('deletes an actor header the client sent, on every request', async () => {
    const forged = encodeActorHeader({ id: 'user:mallory', name: 'mallory', role: 'administrator' });
    expect((await decide(edge(), 'GET', '/health/ready', { 'x-fleetjobs-actor': forged })).forwardedActor).toBeUndefined();
    expect((await decide(edge(), 'GET', '/api/auth/config', { 'x-fleetjobs-actor': forged })).forwardedActor).toBeUndefined();
    expect((await decide(edge(), 'GET', '/api/jobs', { 'x-fleetjobs-actor': forged })).status).toBe(401);
  });

  it('passes requests outside the route table untouched', async () => {
    expect(await decide(edge(), 'GET', '/index.html')).toMatchObject({ passed: true });
    expect(await decide(edge(), 'GET', '/api/no-such-thing')).toMatchObject({ passed: true });
  });

  it('passes public routes without credentials', async () => {
    expect(await decide(edge(), 'GET', '/api/openapi.yaml')).toMatchObject({ passed: true });
  });

  it('answers 401 without credentials, with WWW-Authenticate and the field authorization', async () => {
    const outcome = await decide(edge(), 'POST', '/api/jobs');
    expect(outcome).toMatchObject({ passed: false, status: 401 });
    expect(outcome.headers['www-authenticate']).toBe('Bearer realm="fleetjobs"');
    expect(outcome.headers['content-type']).toBe('application/problem+json');
    expect(outcome.body?.errors).toEqual([{ field: 'authorization', message: 'is missing' }]);
  });

  it('names the request path as the problem instance, without the query', async () => {
    const outcome = await decide(edge(), 'GET', '/api/jobs?status=done&search=fan');
    expect(outcome).toMatchObject({ passed: false, status: 401 });
    expect(outcome.body?.instance).toBe('/api/jobs');
  });

  it('answers 401 for another scheme than Bearer', async () => {
    const outcome = await decide(edge(), 'GET', '/api/jobs', { authorization: 'Basic YWxpY2U6c2VjcmV0' });
    expect(outcome.status).toBe(401);
    expect(outcome.body?.errors[0].message).toBe('is not a bearer token');
  });

  it('admits an API token whose role covers the route, naming its actor and address', async () => {
    const outcome = await decide(edge(), 'POST', '/api/jobs/j1/stop', { authorization: `Bearer ${operatorToken}` });
    expect(outcome).toMatchObject({ passed: true, forwardedActor: { ...operator, address: '203.0.113.7' } });
  });

  it('answers 403 naming the role needed when the role is too low', async () => {
    const outcome = await decide(edge(), 'PUT', '/api/devices/d1', { authorization: `Bearer ${operatorToken}` });
    expect(outcome.status).toBe(403);
    expect(outcome.body?.errors).toEqual([{ field: 'authorization', message: 'needs the builder role' }]);
    expect(outcome.body?.detail).toBe('This needs the builder role; deploy script has the operator role.');
  });

  it('answers 401 for an API token the owner does not know', async () => {
    const outcome = await decide(edge(), 'GET', '/api/jobs', { authorization: `Bearer fjt_zzz_${'x'.repeat(43)}` });
    expect(outcome.status).toBe(401);
    expect(outcome.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    expect(outcome.body?.detail).toBe('The API token is unknown, revoked or expired.');
  });

  it('answers 503 with Retry-After when the token owner cannot be asked, naming no address', async () => {
    const warnings: string[] = [];
    const failing = edge({}, {
      verifyApiToken: async () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.7:3001')),
      logger: { warn: (message: string) => warnings.push(message) },
    });
    const outcome = await decide(failing, 'GET', '/api/jobs', { authorization: `Bearer ${operatorToken}` });
    expect(outcome.status).toBe(503);
    expect(outcome.headers['retry-after']).toBe('5');
    expect(outcome.body?.detail).toBe('The API token could not be checked.');
    expect(warnings.join()).toContain('ECONNREFUSED 10.0.0.7:3001');
    expect(warnings.join()).not.toContain(operatorToken);
  });

  it('admits a JWT of the issuer for this audience, with the highest known role of its claim', async () => {
    const token = await jwt({ sub: 'u-42', preferred_username: 'olga', fleetjobs_roles: ['viewer', 'operator', 'unheard-of'] });
    const outcome = await decide(edge(), 'POST', '/api/jobs', { authorization: `Bearer ${token}` });
    expect(outcome.forwardedActor).toEqual({ id: 'user:u-42', name: 'olga', role: 'operator', address: '203.0.113.7' });
  });

  it('names the user by name, then preferred_username, then email, then subject', async () => {
    const forward = async (claims: JWTPayload) =>
      (await decide(edge(), 'GET', '/api/me', { authorization: `Bearer ${await jwt({ sub: 's', fleetjobs_roles: 'viewer', ...claims })}` })).forwardedActor?.name;
    expect(await forward({ name: 'Vera V', preferred_username: 'vera', email: 'v@x' })).toBe('Vera V');
    expect(await forward({ email: 'v@x' })).toBe('v@x');
    expect(await forward({})).toBe('s');
  });

  it('reads the role claim configured, also a space-separated string and a dotted path', async () => {
    const spaced = await jwt({ sub: 's', roles: 'viewer builder' });
    expect((await decide(edge({ OIDC_ROLE_CLAIM: 'roles' }), 'PUT', '/api/devices/d', { authorization: `Bearer ${spaced}` })).passed).toBe(true);
    const nested = await jwt({ sub: 's', realm_access: { roles: ['administrator'] } });
    const outcome = await decide(edge({ OIDC_ROLE_CLAIM: 'realm_access.roles' }), 'POST', '/api/tokens', { authorization: `Bearer ${nested}` });
    expect(outcome.passed).toBe(true);
  });

  it.each([
    ['another audience', () => jwt({ sub: 's', fleetjobs_roles: 'viewer' }, { audience: 'https://other.example.com' }), /not meant for this API/],
    ['another issuer', () => jwt({ sub: 's', fleetjobs_roles: 'viewer' }, { issuer: 'https://evil.example.com' }), /not issued by https:\/\/id.example.com/],
    ['an expired token', () => jwt({ sub: 's', fleetjobs_roles: 'viewer' }, { expiresIn: '-1m' }), /has expired/],
    ['no subject', () => jwt({ fleetjobs_roles: 'viewer' }), /no subject/],
    ['garbage', async () => 'not.a.jwt', /not a valid signed JWT/],
  ])('answers 401 for %s', async (_case, token, detail) => {
    const outcome = await decide(edge(), 'GET', '/api/jobs', { authorization: `Bearer ${await token()}` });
    expect(outcome.status).toBe(401);
    expect(outcome.body?.detail).toMatch(detail);
    expect(outcome.body?.errors[0].field).toBe('authorization');
  });

  it('answers 401 for a JWT signed by a key not of the issuer', async () => {
    const other = await generateKeyPair('ES256');
    const forged = await new SignJWT({ sub: 's', fleetjobs_roles: 'administrator' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(other.privateKey);
    const outcome = await decide(edge(), 'GET', '/api/jobs', { authorization: `Bearer ${forged}` });
    expect(outcome.status).toBe(401);
    expect(outcome.body?.detail).toMatch(/not signed by a key of the issuer/);
  });

  it('answers 403 for a genuine JWT that grants no known role', async () => {
    const outcome = await decide(edge(), 'GET', '/api/jobs', { authorization: `Bearer ${await jwt({ sub: 's', fleetjobs_roles: ['superuser'] })}` });
    expect(outcome.status).toBe(403);
    expect(outcome.body?.errors).toEqual([{ field: 'authorization', message: 'needs the viewer role' }]);
  });

  it('answers 401 for a JWT when the deployment has no issuer', async () => {
    const tokensOnly = accessEdge({ config: readAccessConfig({}), verifyApiToken: async () => null, logger: { warn: () => undefined } });
    const outcome = await decide(tokensOnly, 'GET', '/api/jobs', { authorization: `Bearer ${await jwt({ sub: 's', fleetjobs_roles: 'viewer' })}` });
    expect(outcome.body?.detail).toBe('This deployment accepts API tokens (fjt_…) only.');
  });

  it('with AUTH=off admits anyone as the anonymous administrator and warns loudly at start', async () => {
    const warnings: string[] = [];
    const off = edge({ AUTH: 'off' }, { logger: { warn: (message: string) => warnings.push(message) } });
    expect(warnings.join()).toMatch(/AUTHENTICATION IS OFF/);
    const outcome = await decide(off, 'POST', '/api/tokens');
    expect(outcome.forwardedActor).toEqual({ ...ANONYMOUS_ACTOR, address: '203.0.113.7' });
  });

  it('asks for a role on spellings of a route that a lenient router would serve', async () => {
    expect((await decide(edge(), 'POST', '/API/Jobs/')).status).toBe(401);
  });
});
