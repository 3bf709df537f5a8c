import { Agent, AgentOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import { createSecureContext } from 'node:tls';

/**
 * The SDK passes the connection string's HostName as `host` and never sets a port, so a HostName
 * with a port (`127.0.0.1:8443`, a local hub simulator) would be resolved as one DNS name. This
 * agent splits it into host and port before connecting.
 */
export class HostPortAgent extends Agent {
  // Node's typings omit createConnection on https.Agent, though it is the documented override point.
  createConnection(options: { host?: string; port?: number }, callback?: unknown): Duplex {
    const match = /^(.+):(\d+)$/.exec(options.host ?? '');
    const target = match ? { ...options, host: match[1], port: Number(match[2]) } : options;
    const base = Agent.prototype as unknown as { createConnection(o: unknown, c?: unknown): Duplex };
    return base.createConnection.call(this, target, callback);
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
  return withPort ? new HostPortAgent(agentOptions) : new Agent(agentOptions);
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
