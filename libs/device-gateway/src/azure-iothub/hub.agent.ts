import type { ClientRequest } from 'node:http';
import { Agent, AgentOptions } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createSecureContext } from 'node:tls';
import { guardRequest, trackOpening } from './send-guard';

// Node's typings omit createConnection and addRequest on https.Agent, though both are its override points.
const base = Agent.prototype as unknown as {
  createConnection(options: unknown, callback?: unknown): Duplex;
  addRequest(request: ClientRequest, options: unknown): void;
};

/**
 * The agent of every hub request. The SDK passes the connection string's HostName as `host` and
 * never sets a port, so a HostName with a port (`127.0.0.1:8443`, a local hub simulator) would be
 * resolved as one DNS name: with `splitHostPort`, it is split into host and port before
 * connecting. A request made under a send guard is held until its connection is open, then
 * asked about once more (see send-guard.ts).
 */
export class HubAgent extends Agent {
  constructor(
    options: AgentOptions,
    private readonly splitHostPort: boolean,
  ) {
    super(options);
  }

  createConnection(options: { host?: string; port?: number }, callback?: unknown): Duplex {
    const match = this.splitHostPort ? /^(.+):(\d+)$/.exec(options.host ?? '') : null;
    const target = match ? { ...options, host: match[1], port: Number(match[2]) } : options;
    const socket = base.createConnection.call(this, target, callback);
    trackOpening(socket as Socket);
    return socket;
  }

  addRequest(request: ClientRequest, options: unknown): void {
    guardRequest(request);
    base.addRequest.call(this, request, options);
  }
}

export interface HubTransportOptions {
  /** Extra certificate to trust (the simulator's self-signed certificate). */
  caCertPem?: string;
  maxSockets?: number;
}

/** Whether the connection string's HostName carries an explicit port. */
export function hostNameHasPort(connectionString: string): boolean {
  const hostName = /(?:^|;)HostName=([^;]+)/i.exec(connectionString)?.[1] ?? '';
  return /:\d+$/.test(hostName);
}

export function createHubAgent(withPort: boolean, options: HubTransportOptions): Agent {
  const agentOptions: AgentOptions = {
    keepAlive: true,
    // Well above the dispatcher's concurrency plus registry sync: a request queued here for a free
    // socket would leave later than its permit allowed.
    maxSockets: options.maxSockets ?? 256,
    // One TLS context for every connection: given only the CA, each new connection builds its own (the CA parsed again).
    ...(options.caCertPem ? { ca: options.caCertPem, secureContext: createSecureContext({ ca: options.caCertPem }) } : {}),
  };
  return new HubAgent(agentOptions, withPort);
}

/** The SDK's REST client, reached through a private field; its `setOptions` replaces all options. */
interface RestApiClientHolder {
  _restApiClient?: { setOptions?(options: { http: { agent: Agent }; ca?: string }): void };
}

/** Puts our agent (and CA) on a Registry or Client; call after construction, which installs its own. */
export function installHubAgent(sdkObject: object, agent: Agent, caCertPem?: string): void {
  const restClient = (sdkObject as RestApiClientHolder)._restApiClient;
  if (!restClient?.setOptions) throw new Error('this azure-iothub version exposes no REST client to configure');
  restClient.setOptions({ http: { agent }, ...(caCertPem ? { ca: caCertPem } : {}) });
}
