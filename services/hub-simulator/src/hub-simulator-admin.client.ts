import { Agent, request } from 'node:https';
import { IncomingHttpHeaders } from 'node:http';
import { signSasToken } from './sas-token.verifier';
import type { SecondTally } from './request-tally';
import type { LoggedOperation, SimulatorStats } from './store/operation-log.store';

export interface RawHubResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** The service API version azure-iothub sends. */
export const HUB_API_VERSION = '2021-04-12';

/** Per throttled kind of operation: its rate, the requests slowed down and those refused. */
export type ThrottleStats = Partial<Record<string, { ratePerSecond: number; shaped: number; refused: number }>>;

export interface OperationQuery {
  deviceId?: string;
  kind?: string;
  name?: string;
  afterSeq?: number;
  limit?: number;
}

/**
 * Calls a hub simulator directly over HTTPS with a SAS token made from its connection string:
 * the administration routes (seeding, operation log, stats, rate limit) and raw hub requests.
 */
export class HubSimulatorAdminClient {
  private readonly host: string;
  private readonly port: number;
  private readonly keyName: string;
  private readonly key: string;
  private readonly agent: Agent;

  constructor(connectionString: string, caCertPem: string) {
    const fields = new Map(
      connectionString.split(';').map((part) => {
        const separator = part.indexOf('=');
        return [part.slice(0, separator), part.slice(separator + 1)] as const;
      }),
    );
    const hostName = fields.get('HostName') ?? '';
    const [host, port] = hostName.split(':');
    this.host = host;
    this.port = Number(port ?? 443);
    this.keyName = fields.get('SharedAccessKeyName') ?? 'iothubowner';
    this.key = fields.get('SharedAccessKey') ?? '';
    this.agent = new Agent({ keepAlive: true, ca: caCertPem, maxSockets: 8 });
  }

  async seedDevices(devices: { deviceId: string; tags?: Record<string, unknown> }[]): Promise<number> {
    const response = await this.expectOk('POST', '/_simulator/devices', { devices });
    return (response.body as { seeded: number }).seeded;
  }

  async operations(query: OperationQuery = {}): Promise<LoggedOperation[]> {
    const search = new URLSearchParams(
      Object.entries(query)
        .filter(([, value]) => value !== undefined)
        .map(([name, value]) => [name, String(value)]),
    );
    const response = await this.expectOk('GET', `/_simulator/operations?${search.toString()}`);
    return (response.body as { operations: LoggedOperation[] }).operations;
  }

  async clearOperations(): Promise<void> {
    await this.expectOk('DELETE', '/_simulator/operations');
  }

  async stats(): Promise<SimulatorStats & { maxRequestsPerSecond: number | null; throttled: number; throttles: ThrottleStats }> {
    return (await this.expectOk('GET', '/_simulator/stats')).body as SimulatorStats & {
      maxRequestsPerSecond: number | null;
      throttled: number;
      throttles: ThrottleStats;
    };
  }

  /** Device-facing requests per second of arrival, served and throttled, since `since` (ISO time). */
  async requestsPerSecond(since?: string): Promise<SecondTally[]> {
    const query = since === undefined ? '' : `?since=${encodeURIComponent(since)}`;
    return ((await this.expectOk('GET', `/_simulator/requests-per-second${query}`)).body as { seconds: SecondTally[] }).seconds;
  }

  /** The hub's arrival time of this very request (compare with logged operations' `receivedAt`). */
  async arrivalMark(): Promise<string> {
    return ((await this.expectOk('POST', '/_simulator/arrival-marks')).body as { arrivedAt: string }).arrivedAt;
  }

  async setMaxRequestsPerSecond(limit: number | null): Promise<void> {
    await this.expectOk('PUT', '/_simulator/settings', { maxRequestsPerSecond: limit });
  }

  /** Sets IoT Hub's per-kind throttles of `sku` with `units` units; `null` removes them. */
  async setThrottle(settings: { sku: 'S1' | 'S2' | 'S3'; units: number } | null): Promise<void> {
    await this.expectOk('PUT', '/_simulator/settings', settings ?? { sku: null });
  }

  /**
   * A signed request to any path; `authorization: null` sends none. A hub path gets the
   * `api-version` the SDK sends unless it names one itself (`?api-version=` sends an empty one).
   */
  request(
    method: string,
    pathAndQuery: string,
    body?: unknown,
    headers: Record<string, string | null> = {},
  ): Promise<RawHubResponse> {
    const path =
      pathAndQuery.startsWith('/_simulator/') || /[?&]api-version=/.test(pathAndQuery)
        ? pathAndQuery
        : `${pathAndQuery}${pathAndQuery.includes('?') ? '&' : '?'}api-version=${HUB_API_VERSION}`;
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
    const resourceUri = `${this.host}:${this.port}`;
    const allHeaders: Record<string, string> = {
      authorization: signSasToken(resourceUri, this.keyName, this.key, Math.floor(Date.now() / 1000) + 3600),
      ...(payload ? { 'content-type': 'application/json; charset=utf-8', 'content-length': String(payload.length) } : {}),
    };
    for (const [name, value] of Object.entries(headers)) {
      if (value === null) delete allHeaders[name.toLowerCase()];
      else allHeaders[name.toLowerCase()] = value;
    }
    return new Promise((resolve, reject) => {
      const req = request({ host: this.host, port: this.port, method, path, headers: allHeaders, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }

  private async expectOk(method: string, path: string, body?: unknown): Promise<RawHubResponse> {
    const response = await this.request(method, path, body);
    if (response.status >= 300) {
      throw new Error(`hub simulator answered ${response.status} to ${method} ${path}: ${JSON.stringify(response.body)}`);
    }
    return response;
  }
}
