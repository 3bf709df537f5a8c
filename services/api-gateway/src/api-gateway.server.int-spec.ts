import { once } from 'node:events';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { httpApiTokenVerifier, readAccessConfig } from '@fleetjobs/access';
import { Actor } from '@fleetjobs/contracts';
import { ACTOR_HEADER, decodeActorHeader } from '@fleetjobs/http-kit';
import { waitFor } from '@fleetjobs/testing';
import pino from 'pino';
import { createApiGateway } from './api-gateway.server';


async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A URL nothing listens on: a port that was just bound and released. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  const url = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return url;
}

const secret = 's'.repeat(40);
const TOKENS: Record<string, Actor> = {
  [`fjt_viewer1_${secret}`]: { id: 'token:viewer1', name: 'dashboard wall', role: 'viewer' },
  [`fjt_builder1_${secret}`]: { id: 'token:builder1', name: 'provisioning', role: 'builder' },
};
const BUILDER = `fjt_builder1_${secret}`;
const VIEWER = `fjt_viewer1_${secret}`;

const tokenOwnerHeaders: Record<string, string | string[] | undefined>[] = [];

/** The internal verify endpoint of the tokens' owner, as job-command answers it. */
function startTokenOwner(): Server {
  return createServer((request, response) => {
    tokenOwnerHeaders.push(request.headers);
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const actor = request.url === '/internal/access/tokens/verify' ? TOKENS[JSON.parse(body).token] : undefined;
      response.writeHead(actor ? 200 : 401, { 'content-type': 'application/json' });
      response.end(JSON.stringify(actor ?? { status: 401 }));
    });
  });
}

describe('the API gateway in front of services', () => {
  let upstream: Server;
  let tokenOwner: Server;
  let gateway: Server;
  let base: string;
  let upstreamHeaders: Record<string, string | string[] | undefined>[] = [];
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const logLines: string[] = [];

  beforeAll(async () => {
    upstream = createServer((request, response) => {
      upstreamHeaders.push(request.headers);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ served: request.url }));
    });
    tokenOwner = startTokenOwner();
    const deviceSet = await listen(upstream);
    const owner = await listen(tokenOwner);
    const down = await closedPortUrl();
    gateway = createApiGateway(
      { deviceSet, jobCommand: down, dispatcher: down, projection: down },
      { config: readAccessConfig({}), verifyApiToken: httpApiTokenVerifier(owner), limits: { requestsPerMinute: 0, streamsPerCaller: 0 } },
      pino({ base: { service: 'api-gateway' } }, { write: (line: string) => void logLines.push(line) }),
    );
    base = await listen(gateway);
  });
  beforeEach(() => {
    upstreamHeaders = [];
  });
  afterAll(async () => {
    gateway.closeAllConnections();
    await new Promise((resolve) => gateway.close(resolve));
    await new Promise((resolve) => upstream.close(resolve));
    await new Promise((resolve) => tokenOwner.close(resolve));
  });

  it('refuses an API request without credentials with a 401 problem, before any service sees it', async () => {
    const response = await fetch(`${base}/api/devices/vm-1`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await response.json()).toMatchObject({ status: 401, errors: [{ field: 'authorization' }] });
    expect(upstreamHeaders).toEqual([]);
  });

  it('refuses an unknown token with 401 and a role too low with 403, as the token owner says', async () => {
    expect((await fetch(`${base}/api/devices/vm-1`, { headers: as(`fjt_nobody_${secret}`) })).status).toBe(401);
    const tooLow = await fetch(`${base}/api/devices/vm-1`, { method: 'DELETE', headers: as(VIEWER) });
    expect(tooLow.status).toBe(403);
    expect((await tooLow.json()).detail).toMatch(/builder/);
    expect(upstreamHeaders).toEqual([]);
  });

  it('passes the authenticated actor on to the service, never one the client sent', async () => {
    const forged = Buffer.from(JSON.stringify({ id: 'user:root', name: 'root', role: 'administrator' })).toString('base64url');
    const response = await fetch(`${base}/api/devices/vm-1`, { method: 'DELETE', headers: { ...as(BUILDER), [ACTOR_HEADER]: forged } });
    expect(response.status).toBe(200);
    expect(upstreamHeaders).toHaveLength(1);
    expect(decodeActorHeader(String(upstreamHeaders[0][ACTOR_HEADER]))).toMatchObject({ id: 'token:builder1', name: 'provisioning', role: 'builder' });
  });

  it('answers 503 with Retry-After when the owner of API tokens cannot be reached', async () => {
    const down = await closedPortUrl();
    const isolated = createApiGateway(
      { deviceSet: down, jobCommand: down, dispatcher: down, projection: down },
      { config: readAccessConfig({}), verifyApiToken: httpApiTokenVerifier(down), limits: { requestsPerMinute: 0, streamsPerCaller: 0 } },
    );
    const url = await listen(isolated);
    try {
      const response = await fetch(`${url}/api/devices`, { headers: as(VIEWER) });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      isolated.closeAllConnections();
      await new Promise((resolve) => isolated.close(resolve));
    }
  });

  it('carries the caller\'s request id to the token check and the service, answers it and logs the request under it', async () => {
    const response = await fetch(`${base}/api/devices/vm-1`, { headers: { ...as(VIEWER), 'x-request-id': 'gw-check-1' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('gw-check-1');
    expect(upstreamHeaders.map((headers) => headers['x-request-id'])).toEqual(['gw-check-1']);
    expect(tokenOwnerHeaders.at(-1)?.['x-request-id']).toBe('gw-check-1');
    await waitFor('the access line of the request', () => logLines.some((line) => line.includes('gw-check-1')));
    const line = JSON.parse(logLines.find((candidate) => candidate.includes('gw-check-1'))!);
    expect(line).toMatchObject({ service: 'api-gateway', requestId: 'gw-check-1', method: 'GET', path: '/api/devices/vm-1', status: 200, msg: 'answered' });
  });

  it('gives a request without an id one of its own and passes that on', async () => {
    const response = await fetch(`${base}/api/devices/vm-1`, { headers: { ...as(VIEWER), 'x-request-id': 'not valid!' } });
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(upstreamHeaders.map((headers) => headers['x-request-id'])).toEqual([id]);
  });

  it('serves its metrics and health to Prometheus and the supervisor', async () => {
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toContain('fleetjobs_http_requests_total{method="GET",status="200"}');
    expect(text).toContain('process_cpu_seconds_total');
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
  });

  it('forwards a request to the service that owns the path', async () => {
    const response = await fetch(`${base}/api/devices/vm-1`, { headers: as(VIEWER) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ served: '/api/devices/vm-1' });
  });

  it.each([
    ['PUT', '/api/jobs/j1', '{"displayName":"x"}'],
    ['GET', '/api/jobs?status=running', undefined],
  ])('answers %s %s with 503, Retry-After and a problem document when its service is down', async (method, path, body) => {
    const response = await fetch(`${base}${path}`, {
      method,
      body,
      headers: { ...as(BUILDER), ...(body ? { 'content-type': 'application/json' } : {}) },
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = await response.json();
    expect(problem).toMatchObject({ type: 'about:blank', title: 'Service Unavailable', status: 503, instance: path.split('?')[0] });
    expect(problem.detail).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
  });

  it('refuses a write sent by a page of another site with a 403 problem, before any service sees it', async () => {
    const upstreamSaw: string[] = [];
    upstreamHeaders = [];
    upstream.on('request', (request) => upstreamSaw.push(`${request.method} ${request.url}`));
    const response = await fetch(`${base}/api/devices/vm-1?force=1`, { method: 'DELETE', headers: { origin: 'https://elsewhere.example' } });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 403, instance: '/api/devices/vm-1', errors: [{ field: 'origin' }] });
    expect(upstreamSaw).toEqual([]);
    // The same write from this origin, or from a client that is not a browser, goes through.
    const sameOrigin = await fetch(`${base}/api/devices/vm-1`, { method: 'DELETE', headers: { ...as(BUILDER), origin: base } });
    expect(sameOrigin.status).toBe(200);
    expect(upstreamSaw).toEqual(['DELETE /api/devices/vm-1']);
  });

  it('answers with security headers: a content security policy, no sniffing, no framing', async () => {
    const response = await fetch(`${base}/api/devices/vm-1`, { headers: as(VIEWER) });
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });
});
