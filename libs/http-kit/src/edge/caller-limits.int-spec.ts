import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { waitFor } from '@fleetjobs/testing';
import { encodeActorHeader, ACTOR_HEADER } from '../actor/actor-header';
import { limitCallers, readCallerLimits } from './caller-limits';

/** A public edge in miniature: the actor comes from `x-test-caller`, as the access edge would set it. */
async function startEdge(limits: { requestsPerMinute: number; streamsPerCaller: number }): Promise<{ url: string; server: Server }> {
  const app = express();
  app.use((request, _response, next) => {
    const caller = request.headers['x-test-caller'];
    if (typeof caller === 'string') request.headers[ACTOR_HEADER] = encodeActorHeader({ id: `token:${caller}`, name: caller, role: 'viewer' });
    next();
  });
  app.use(limitCallers(limits));
  app.get('/api/jobs/:id/stream', (request, response) => {
    response.status(200).type('text/event-stream').write(': open\n\n');
  });
  app.get('/api/jobs', (_request, response) => {
    response.json({ value: [], nextCursor: null });
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('limits per caller at the public edge', () => {
  let edge: Awaited<ReturnType<typeof startEdge>>;

  afterEach(async () => {
    edge.server.closeAllConnections();
    await new Promise((resolve) => edge.server.close(resolve));
  });

  it('answers the request over a caller’s limit with a 429 problem and Retry-After, and other callers go on', async () => {
    edge = await startEdge({ requestsPerMinute: 3, streamsPerCaller: 0 });
    const as = (caller: string) => fetch(`${edge.url}/api/jobs?status=running`, { headers: { 'x-test-caller': caller } });
    for (let index = 0; index < 3; index += 1) expect((await as('busy')).status).toBe(200);
    const refused = await as('busy');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await refused.json()).toMatchObject({ status: 429, instance: '/api/jobs', errors: [{ field: 'authorization' }] });
    expect((await as('quiet')).status).toBe(200);
  });

  it('counts requests without an actor by client address', async () => {
    edge = await startEdge({ requestsPerMinute: 2, streamsPerCaller: 0 });
    const statuses = [];
    for (let index = 0; index < 3; index += 1) statuses.push((await fetch(`${edge.url}/api/jobs`)).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('refuses a caller’s stream over the cap, and accepts one again once another closed', async () => {
    edge = await startEdge({ requestsPerMinute: 0, streamsPerCaller: 2 });
    const open = () => {
      const abort = new AbortController();
      return { response: fetch(`${edge.url}/api/jobs/j/stream`, { headers: { 'x-test-caller': 'watcher' }, signal: abort.signal }), abort };
    };
    const first = open();
    const second = open();
    expect((await first.response).status).toBe(200);
    expect((await second.response).status).toBe(200);
    const third = await open().response;
    expect(third.status).toBe(429);
    expect(await third.json()).toMatchObject({ errors: [{ field: 'stream' }] });
    const otherCaller = await fetch(`${edge.url}/api/jobs/j/stream`, { headers: { 'x-test-caller': 'other' }, signal: AbortSignal.timeout(60_000) });
    expect(otherCaller.status).toBe(200);
    await otherCaller.body?.cancel();
    first.abort.abort();
    let again: ReturnType<typeof open> | undefined;
    await waitFor('a stream of that caller accepted again', async () => {
      const attempt = open();
      const response = await attempt.response;
      if (response.status === 200) again = attempt;
      else await response.body?.cancel();
      return response.status === 200;
    });
    second.abort.abort();
    again?.abort.abort();
  });

  it('reads its limits from the environment and refuses a value that is not a whole number', () => {
    expect(readCallerLimits({ RATE_LIMIT_PER_MINUTE: '0', STREAMS_PER_CALLER: '3' })).toEqual({ requestsPerMinute: 0, streamsPerCaller: 3 });
    expect(readCallerLimits({})).toEqual({ requestsPerMinute: 6000, streamsPerCaller: 20 });
    expect(() => readCallerLimits({ RATE_LIMIT_PER_MINUTE: '-1' })).toThrow(/RATE_LIMIT_PER_MINUTE/);
  });
});
