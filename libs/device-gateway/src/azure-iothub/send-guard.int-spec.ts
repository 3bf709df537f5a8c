import { generateTlsMaterial } from '@fleetjobs/hub-simulator';
import { waitFor } from '@fleetjobs/testing';
import { Agent, createServer, request, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import { RequestGate } from '../device-gateway.port';
import { gatedRequest } from './gated-request';
import { createHubAgent } from './hub.agent';
import { SendGuard, sendGuarded } from './send-guard';

/**
 * A TLS server whose handshakes wait until the test lets them finish (its SNI callback is
 * answered only then), as a new connection to a busy hub does; it counts the requests it receives.
 */
async function handshakeHeldServer() {
  const tls = await generateTlsMaterial();
  const received: string[] = [];
  let heldHandshakes: (() => void)[] = [];
  let holding = true;
  const server: Server = createServer({
    key: tls.key,
    cert: tls.cert,
    SNICallback: (_name, done) => {
      const finish = () => done(null, undefined);
      if (holding) heldHandshakes.push(finish);
      else finish();
    },
  }, (req, res) => {
    received.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => res.end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    ca: tls.cert,
    // localhost, not the address: the client sends SNI only for a host name.
    host: `localhost:${(server.address() as AddressInfo).port}`,
    received,
    handshakesWaiting: () => heldHandshakes.length,
    /** Whether handshakes are held: a new connection is not open yet. */
    holding: () => holding,
    finishHandshakes: () => {
      holding = false;
      const waiting = heldHandshakes;
      heldHandshakes = [];
      for (const finish of waiting) finish();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type HeldServer = Awaited<ReturnType<typeof handshakeHeldServer>>;

/** One PATCH through `agent`, as the SDK's REST client sends a twin write. */
function patch(agent: Agent, server: HeldServer, path: string): Promise<number> {
  const [hostname, port] = server.host.split(':');
  return new Promise((resolve, reject) => {
    const req = request({ agent, hostname, port: Number(port), path, method: 'PATCH', ca: server.ca, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end('{"fanSpeed":4}');
  });
}

describe('requests that may change a device are asked about again once their connection is open', () => {
  let server: HeldServer;
  let agent: Agent;

  beforeEach(async () => {
    server = await handshakeHeldServer();
    agent = createHubAgent(false, { caCertPem: server.ca });
  });
  afterEach(async () => {
    agent.destroy();
    await server.close();
  });

  it('holds back a write whose permission ran out while its new connection was opening: the server receives nothing', async () => {
    let permitted = true;
    const checkedWhile: string[] = [];
    const guard: SendGuard = {
      check: () => {
        checkedWhile.push(server.holding() ? 'opening' : 'open');
        if (!permitted) throw new Error('the job was stopped');
      },
    };
    const sent = sendGuarded(guard, () => patch(agent, server, '/twins/vm-1'));
    await waitFor('the handshake to reach the server', () => server.handshakesWaiting() === 1);
    permitted = false;
    server.finishHandshakes();
    await expect(sent).rejects.toThrow('held back');
    expect(guard.refusal).toEqual(new Error('the job was stopped'));
    expect(checkedWhile).toEqual(['open']);
    // Another request on a new connection reaches the server: nothing of the first was queued behind it.
    expect(await patch(agent, server, '/twins/vm-2')).toBe(200);
    expect(server.received).toEqual(['PATCH /twins/vm-2']);
  });

  it('lets a write leave once its connection is open when its permission still holds, asking once', async () => {
    const checkedWhile: string[] = [];
    const guard: SendGuard = { check: () => void checkedWhile.push(server.holding() ? 'opening' : 'open') };
    const sent = sendGuarded(guard, () => patch(agent, server, '/twins/vm-3'));
    await waitFor('the handshake to reach the server', () => server.handshakesWaiting() === 1);
    expect(server.received).toEqual([]);
    server.finishHandshakes();
    expect(await sent).toBe(200);
    expect(checkedWhile).toEqual(['open']);
    expect(server.received).toEqual(['PATCH /twins/vm-3']);
  });

  it('asks as the request takes a connection already open, and holds it back there too', async () => {
    server.finishHandshakes();
    expect(await patch(agent, server, '/twins/warm')).toBe(200);
    let checks = 0;
    const guard: SendGuard = {
      check: () => {
        checks += 1;
        throw new Error('the permit ran out');
      },
    };
    await expect(sendGuarded(guard, () => patch(agent, server, '/twins/vm-4'))).rejects.toThrow('held back');
    expect(checks).toBe(1);
    expect(server.received).toEqual(['PATCH /twins/warm']);
  });

  it('never asks about requests made outside a guard (reads)', async () => {
    let checks = 0;
    const guard: SendGuard = { check: () => void (checks += 1) };
    server.finishHandshakes();
    const inside = sendGuarded(guard, () => patch(agent, server, '/twins/guarded'));
    expect(await patch(agent, server, '/twins/unguarded')).toBe(200);
    expect(await inside).toBe(200);
    expect(checks).toBe(1);
  });

  it('fails a gated mutation with what the gate threw at the last moment, and tells the gate nothing was applied', async () => {
    let notApplied = 0;
    const gate: RequestGate = {
      beforeMutation: async () => undefined,
      beforeRead: async () => undefined,
      throttled: () => undefined,
      notApplied: () => void (notApplied += 1),
      beforeBytesLeave: () => {
        throw new Error('no permit any more');
      },
    };
    server.finishHandshakes();
    await expect(gatedRequest(gate, 'mutation', 'patch twin vm-5', () => patch(agent, server, '/twins/vm-5'))).rejects.toThrow('no permit any more');
    expect(notApplied).toBe(1);
    expect(server.received).toEqual([]);
    // A read through the same gate is not asked about.
    expect(await gatedRequest(gate, 'read', 'read twin vm-5', () => patch(agent, server, '/twins/vm-5/read'))).toBe(200);
  });
});
