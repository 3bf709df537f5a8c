import { once } from 'node:events';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { decodeActorHeader } from '@fleetjobs/http-kit';
import { startTestOidcProvider, TestOidcProvider } from '@fleetjobs/testing';
import express from 'express';
import { readAccessConfig } from '../config/access-config';
import { accessEdge } from './access.middleware';
import { JwtVerifierOptions } from './jwt-verifier';

const AUDIENCE = 'https://api.fleetjobs.test';
const quiet = { warn: () => undefined };

interface Answer {
  status: number;
  body: any;
  wwwAuthenticate: string | null;
}

/**
 * The edge on a real Express server, with real JWTs from a real OpenID provider (oidc-provider)
 * and its JWKS fetched over HTTP: the upstream behind it answers with the actor it was handed.
 */
describe('the access edge with tokens of a real OpenID provider', () => {
  let provider: TestOidcProvider;
  const servers: Server[] = [];

  /** An edge (in front of an echo of x-fleetjobs-actor) configured by `env`; its base URL. */
  async function edgeServer(env: Record<string, string>, jwt: JwtVerifierOptions = {}): Promise<string> {
    const app = express();
    app.use(accessEdge({ config: readAccessConfig(env), verifyApiToken: async () => null, jwt, logger: quiet }));
    app.use((request, response) => {
      const header = request.headers['x-fleetjobs-actor'];
      response.json({ actor: typeof header === 'string' ? decodeActorHeader(header) : null });
    });
    const server = app.listen(0, '127.0.0.1');
    servers.push(server);
    await once(server, 'listening');
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async function call(base: string, method: string, path: string, token?: string): Promise<Answer> {
    const response = await fetch(`${base}${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: response.status, body: await response.json(), wwwAuthenticate: response.headers.get('www-authenticate') };
  }

  let edge: string;
  beforeAll(async () => {
    provider = await startTestOidcProvider({ audience: AUDIENCE });
    // The keys are found through the issuer's discovery document.
    edge = await edgeServer({ OIDC_ISSUER: provider.issuer, OIDC_AUDIENCE: AUDIENCE });
  });
  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
    await provider?.stop();
  });

  it('admits a client token whose role covers the route, handing its actor on', async () => {
    const answer = await call(edge, 'POST', '/api/jobs/fan/stop', await provider.clientToken('operator-client'));
    expect(answer.status).toBe(200);
    expect(answer.body.actor).toEqual({ id: 'user:operator-client', name: 'operator-client', role: 'operator', address: '127.0.0.1' });
  });

  it('admits a user signed in through the dashboard client, named and with the role of their account', async () => {
    const answer = await call(edge, 'GET', '/api/me', await provider.userToken('vera'));
    expect(answer.status).toBe(200);
    expect(answer.body.actor).toMatchObject({ id: 'user:vera', name: 'vera', role: 'viewer' });
  });

  it('answers 403 naming the role when the role is too low', async () => {
    const answer = await call(edge, 'PUT', '/api/device-templates/t1', await provider.userToken('olga'));
    expect(answer.status).toBe(403);
    expect(answer.body.errors).toEqual([{ field: 'authorization', message: 'needs the builder role' }]);
  });

  it('answers 403 for a token whose role claim names no role of the product', async () => {
    const answer = await call(edge, 'GET', '/api/jobs', await provider.clientToken('unknown-role-client'));
    expect(answer.status).toBe(403);
    expect(answer.body.detail).toMatch(/grants no role/);
  });

  it('answers 403 for a user of no role', async () => {
    expect((await call(edge, 'GET', '/api/jobs', await provider.userToken('mallory'))).status).toBe(403);
  });

  it('answers 401 for a token meant for another API', async () => {
    const answer = await call(edge, 'GET', '/api/jobs', await provider.clientToken('administrator-client', { resource: 'https://other.example.com' }));
    expect(answer.status).toBe(401);
    expect(answer.body.detail).toMatch(/not meant for this API/);
    expect(answer.wwwAuthenticate).toMatch(/^Bearer realm="fleetjobs", error="invalid_token"/);
  });

  it('answers 401 for a token of another issuer', async () => {
    const elsewhere = await edgeServer({ OIDC_ISSUER: 'https://id.elsewhere.example.com', OIDC_AUDIENCE: AUDIENCE, OIDC_JWKS_URI: provider.jwksUri });
    const answer = await call(elsewhere, 'GET', '/api/jobs', await provider.clientToken('administrator-client'));
    expect(answer.status).toBe(401);
    expect(answer.body.detail).toMatch(/not issued by https:\/\/id.elsewhere.example.com/);
  });

  it('answers 401 for an expired token', async () => {
    const token = await provider.clientToken('administrator-client');
    // The same genuine token, checked as the edge would check it an hour later.
    const later = await edgeServer({ OIDC_ISSUER: provider.issuer, OIDC_AUDIENCE: AUDIENCE }, { clock: () => new Date(Date.now() + 3600_000) });
    const answer = await call(later, 'GET', '/api/jobs', token);
    expect(answer.status).toBe(401);
    expect(answer.body.detail).toBe('The token has expired.');
    expect((await call(edge, 'GET', '/api/jobs', token)).status).toBe(200);
  });

  it('answers 401 for a token whose signature was tampered with', async () => {
    const [header, payload, signature] = (await provider.clientToken('viewer-client')).split('.');
    const tampered = `${header}.${payload}.${signature.slice(0, -4)}${signature.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    expect((await call(edge, 'GET', '/api/jobs', tampered)).status).toBe(401);
  });

  it('answers 401 without credentials and passes public routes', async () => {
    expect((await call(edge, 'GET', '/api/jobs')).status).toBe(401);
    expect(await call(edge, 'GET', '/api/auth/config')).toMatchObject({ status: 200, body: { actor: null } });
  });

  it('answers 503 with Retry-After while the keys of the issuer cannot be fetched', async () => {
    const unreachable = await edgeServer({ OIDC_ISSUER: 'http://127.0.0.1:9', OIDC_AUDIENCE: AUDIENCE });
    const token = await provider.clientToken('viewer-client');
    const response = await fetch(`${unreachable}/api/jobs`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
  });
});
