import { once } from 'node:events';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { currentRequestId, makeEnvelope, runWithRequestId } from '@fleetjobs/contracts';
import { AccessLogLine, assignRequestId, requestIdHeaders } from './request-context';

describe('request ids', () => {
  let server: Server;
  let base: string;
  const lines: AccessLogLine[] = [];
  const seen: { inHandler?: string; headers?: Record<string, string>; eventRequestId?: string } = {};

  beforeAll(async () => {
    const middleware = assignRequestId((line) => lines.push(line));
    server = createServer((request, response) =>
      middleware(request, response, () => {
        // As a handler would: after an await, still inside the request.
        void Promise.resolve().then(() => {
          seen.inHandler = currentRequestId();
          seen.headers = requestIdHeaders();
          seen.eventRequestId = makeEnvelope({ type: 'JobStopped', version: 1, source: '/test', subject: 'job-1', data: {}, now: new Date() }).requestId;
          response.end('ok');
        });
      }),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  beforeEach(() => {
    lines.length = 0;
  });

  /** The access line is written once the answer is sent: just after the client has it. */
  async function accessLine(): Promise<AccessLogLine> {
    while (lines.length === 0) await new Promise((resolve) => setImmediate(resolve));
    return lines[0];
  }

  it('keeps a valid id the caller sent, answers it, and carries it into the handler, its calls and its events', async () => {
    const response = await fetch(`${base}/api/jobs?status=done`, { headers: { 'x-request-id': 'deploy-42.run:7' } });
    expect(response.headers.get('x-request-id')).toBe('deploy-42.run:7');
    expect(seen).toEqual({ inHandler: 'deploy-42.run:7', headers: { 'x-request-id': 'deploy-42.run:7' }, eventRequestId: 'deploy-42.run:7' });
    expect(await accessLine()).toEqual({ requestId: 'deploy-42.run:7', method: 'GET', path: '/api/jobs', status: 200, ms: expect.any(Number) });
  });

  it.each([['none', undefined], ['an invalid one', 'has spaces and "quotes"']])('gives a request with %s a new id', async (_name, sent) => {
    const response = await fetch(`${base}/api/jobs`, { headers: sent ? { 'x-request-id': sent } : {} });
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen.inHandler).toBe(id);
    expect((await accessLine()).requestId).toBe(id);
  });

  it('writes no access line for probes and scrapes', async () => {
    for (const path of ['/health/live', '/health/ready', '/metrics']) await (await fetch(`${base}${path}`)).text();
    await (await fetch(`${base}/api/me`)).text();
    expect((await accessLine()).path).toBe('/api/me');
    expect(lines).toHaveLength(1);
  });

  it('knows of no request outside one', () => {
    expect(currentRequestId()).toBeUndefined();
    expect(requestIdHeaders()).toEqual({});
    expect(runWithRequestId('r-1', () => requestIdHeaders())).toEqual({ 'x-request-id': 'r-1' });
  });
});
