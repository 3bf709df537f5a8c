import { once } from 'node:events';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
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

describe('the API gateway in front of services', () => {
  let upstream: Server;
  let gateway: Server;
  let base: string;

  beforeAll(async () => {
    upstream = createServer((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ served: request.url }));
    });
    const deviceSet = await listen(upstream);
    const down = await closedPortUrl();
    gateway = createApiGateway({ deviceSet, jobCommand: down, dispatcher: down, projection: down });
    base = await listen(gateway);
  });
  afterAll(async () => {
    gateway.closeAllConnections();
    await new Promise((resolve) => gateway.close(resolve));
    await new Promise((resolve) => upstream.close(resolve));
  });

  it('forwards a request to the service that owns the path', async () => {
    const response = await fetch(`${base}/api/devices/vm-1`);
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
      headers: body ? { 'content-type': 'application/json' } : undefined,
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = await response.json();
    expect(problem).toMatchObject({ type: 'about:blank', title: 'Service Unavailable', status: 503, instance: path });
    expect(problem.detail).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
  });

  it('refuses a write sent by a page of another site with a 403 problem, before any service sees it', async () => {
    const upstreamSaw: string[] = [];
    upstream.on('request', (request) => upstreamSaw.push(`${request.method} ${request.url}`));
    const response = await fetch(`${base}/api/devices/vm-1`, { method: 'DELETE', headers: { origin: 'https://elsewhere.example' } });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 403, errors: [{ field: 'origin' }] });
    expect(upstreamSaw).toEqual([]);
    // The same write from this origin, or from a client that is not a browser, goes through.
    const sameOrigin = await fetch(`${base}/api/devices/vm-1`, { method: 'DELETE', headers: { origin: base } });
    expect(sameOrigin.status).toBe(200);
    expect(upstreamSaw).toEqual(['DELETE /api/devices/vm-1']);
  });

  it('answers with security headers: a content security policy, no sniffing, no framing', async () => {
    const response = await fetch(`${base}/api/devices/vm-1`);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });
});
