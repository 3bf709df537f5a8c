import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerEngineAnswers } from './docker-engine.probe';

/** An HTTP server that answers /_ping the way it is told to, on a unix socket or a TCP port. */
async function fakeEngine(ping: { status: number; body: string }, listenOn: string | 0): Promise<Server> {
  const server = createServer((request, response) => {
    response.statusCode = request.url === '/_ping' ? ping.status : 404;
    response.end(request.url === '/_ping' ? ping.body : '');
  });
  await new Promise<void>((resolve) => server.listen(listenOn, resolve));
  return server;
}

describe('dockerEngineAnswers', () => {
  const servers: Server[] = [];
  const folders: string[] = [];
  const socket = () => {
    folders.push(mkdtempSync(join(tmpdir(), 'fleetjobs-docker-')));
    return join(folders[folders.length - 1], 'docker.sock');
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('is true when the engine on DOCKER_HOST (a unix socket) answers the ping with OK', async () => {
    const path = socket();
    servers.push(await fakeEngine({ status: 200, body: 'OK' }, path));
    expect(await dockerEngineAnswers({ DOCKER_HOST: `unix://${path}` })).toBe(true);
  });

  it('is true for an engine on a TCP DOCKER_HOST', async () => {
    const server = await fakeEngine({ status: 200, body: 'OK' }, 0);
    servers.push(server);
    expect(await dockerEngineAnswers({ DOCKER_HOST: `tcp://127.0.0.1:${(server.address() as AddressInfo).port}` })).toBe(true);
  });

  it('is false when something answers but not as an engine', async () => {
    const path = socket();
    servers.push(await fakeEngine({ status: 500, body: 'daemon is starting' }, path));
    expect(await dockerEngineAnswers({ DOCKER_HOST: `unix://${path}` })).toBe(false);
  });

  it('is false when nothing listens: no socket file, or a refused port', async () => {
    expect(await dockerEngineAnswers({ DOCKER_HOST: `unix://${socket()}` })).toBe(false);
    const server = await fakeEngine({ status: 200, body: 'OK' }, 0);
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    expect(await dockerEngineAnswers({ DOCKER_HOST: `tcp://127.0.0.1:${port}` })).toBe(false);
  });
});
