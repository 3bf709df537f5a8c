import { randomBytes } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { BODY_LIMITS, HubRequest, HubResponse, matchRoute, Route } from './http/hub-exchange';
import { errors } from './http/iot-hub-errors';
import { PendingAckScheduler } from './pending-ack.scheduler';
import { admitHubRequest, missingApiVersion } from './hub-limits.admission';
import { HubThrottle, HubThrottleSettings } from './hub-throttle';
import { RateLimiter } from './rate-limiter';
import { RequestTally } from './request-tally';
import { HUB_MAX_CONCURRENT_JOBS, hubJobDeviceOperationsPerSecond } from '@fleetjobs/contracts';
import { JobDeviceOperation } from './hub-job-device.operation';
import { JobDevicePacer } from './hub-job.pacer';
import { HubJobRunner } from './hub-job.runner';
import { deviceJobsQuery, jobRoutes } from './routes/jobs.routes';
import { HubJobStore } from './store/hub-job.store';
import { methodRoutes } from './routes/method.routes';
import { registryRoutes } from './routes/registry.routes';
import { simulatorAdminRoutes } from './routes/simulator-admin.routes';
import { twinRoutes } from './routes/twin.routes';
import { SasTokenVerifier } from './sas-token.verifier';
import { simulatorLogger } from './simulator-logger';
import { SimulatorTimers } from './simulator-timers';
import { ensureHubSimulatorSchema } from './store/hub-simulator.schema';
import { OperationLogStore } from './store/operation-log.store';
import { RegistryStore } from './store/registry.store';
import { TwinStore } from './store/twin.store';
import { generateTlsMaterial, TlsMaterial } from './tls-certificate';
import { bodyLeftUnread, readBody } from './http/request-body.reader';

export interface HubSimulatorOptions {
  /** Where the simulator keeps its state (schema `hub_simulator`, created if missing). */
  dataSource: DataSource;
  /** 0 picks a free port. Default 0. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Base64 key of the `iothubowner` policy; generated when absent. */
  sharedAccessKey?: string;
  sharedAccessKeyName?: string;
  /** PEM key and certificate; a self-signed pair for localhost/127.0.0.1 is generated when absent. */
  tls?: TlsMaterial;
  /** Beyond this many hub API requests a second of any kind, answer 429: one limit overriding the SKU's (tests, benches). Default: none. */
  maxRequestsPerSecond?: number;
  /** IoT Hub's per-kind operation throttles of this tier and unit count (hub-throttle.ts). Default: none. */
  throttle?: HubThrottleSettings | null;
}

/** A running hub simulator. */
export interface HubSimulator {
  port: number;
  /** `HostName=127.0.0.1:<port>;SharedAccessKeyName=iothubowner;SharedAccessKey=<key>` */
  connectionString: string;
  /** The certificate clients must trust (it is self-signed). */
  caCertPem: string;
  /** Changes the rate limit while running; `null` removes it. */
  setMaxRequestsPerSecond(limit: number | null): void;
  /** Changes the tier and units whose throttles apply; `null` removes them. */
  setThrottle(settings: HubThrottleSettings | null): void;
  stop(): Promise<void>;
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

/** Starts an HTTPS server answering the IoT Hub service API (twins, methods, registry) from PostgreSQL. */
export async function startHubSimulator(options: HubSimulatorOptions): Promise<HubSimulator> {
  const dataSource = options.dataSource;
  await ensureHubSimulatorSchema(dataSource);
  const tls = options.tls ?? (await generateTlsMaterial());
  const sharedAccessKey = options.sharedAccessKey ?? randomBytes(32).toString('base64');
  const keyName = options.sharedAccessKeyName ?? 'iothubowner';
  const bindHost = options.host ?? '127.0.0.1';

  const timers = new SimulatorTimers();
  const twins = new TwinStore(dataSource);
  const registry = new RegistryStore(dataSource, (ids) => twins.devicesChanged(ids));
  const operations = new OperationLogStore(dataSource);
  const acks = new PendingAckScheduler(twins, timers);
  const limiter = new RateLimiter(options.maxRequestsPerSecond ?? null);
  const throttle = new HubThrottle(options.throttle ?? null);
  const tally = new RequestTally();
  const jobs = new HubJobStore(dataSource);
  // A hub without a tier set runs S1's one job at a time, and its jobs' device operations unthrottled.
  const jobRunner = new HubJobRunner(
    jobs,
    new JobDeviceOperation(twins, acks, timers),
    new JobDevicePacer(() => (throttle.settings ? hubJobDeviceOperationsPerSecond(throttle.settings.sku, throttle.settings.units) : null)),
    timers,
  );
  const routes: Route[] = [
    ...twinRoutes(twins, acks, timers),
    ...methodRoutes(twins, timers),
    ...jobRoutes(jobs, jobRunner, () => HUB_MAX_CONCURRENT_JOBS[throttle.settings?.sku ?? 'S1']),
    ...registryRoutes(registry, sharedAccessKey, deviceJobsQuery(jobs)),
    ...simulatorAdminRoutes(registry, operations, limiter, tally, throttle),
  ];

  // The token's resource is the host name with the port, known once the server listens.
  const auth: { verifier?: SasTokenVerifier } = {};
  const inFlight = new Set<Promise<void>>();
  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const handling = handle(req, res)
      .catch((error: unknown) => {
        if (timers.isStopped) return void res.destroy();
        simulatorLogger.error({ err: error, method: req.method, path: (req.url ?? '').split('?')[0] }, 'request failed');
        if (!res.headersSent) write(res, errors.internal(error instanceof Error ? error.message : String(error)));
        else res.destroy();
      })
      .finally(() => inFlight.delete(handling));
    inFlight.add(handling);
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrivedAt = new Date();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'https://hub.invalid');
    const found = matchRoute(routes, method, url.pathname);
    // Nothing of the body is read before the request is known, authenticated and admitted.
    if (!found) return answerEarly(req, res, errors.notFound(url.pathname));
    if (!auth.verifier) return answerEarly(req, res, errors.unavailable());
    const rejection = auth.verifier.verify(headerValue(req, 'authorization'), arrivedAt.getTime(), req.headers.host);
    if (rejection) return answerEarly(req, res, errors.unauthorized(rejection));
    if (!found.route.admin) {
      const admission = admitHubRequest(limiter, throttle, tally, method, url.pathname, req.headers, arrivedAt.getTime());
      if (typeof admission !== 'number') {
        // An authenticated client is told to wait, not cut off: its body (within the route's cap)
        // is read first, so that the 429 reaches it instead of a connection closed mid-send.
        const unread = await readBody(req, found.route.maxBodyBytes).catch(() => 'too-large' as const);
        return unread === 'too-large' ? answerEarly(req, res, admission) : write(res, admission);
      }
      if (admission > 0 && !(await timers.wait(admission))) return void res.destroy();
    }
    const raw = await readBody(req, found.route.maxBodyBytes);
    if (raw === 'too-large') return answerEarly(req, res, errors.tooLarge(found.route.maxBodyBytes));
    if (!found.route.admin && !url.searchParams.get('api-version')) return write(res, missingApiVersion());
    let body: unknown = undefined;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return write(res, errors.badRequest('the body is not valid JSON'));
      }
    }
    const request: HubRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      requestId: headerValue(req, 'request-id') ?? null,
      arrivedAt,
    };
    write(res, await found.route.handler(request, found.params));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const advertisedHost = WILDCARD_HOSTS.has(bindHost) ? '127.0.0.1' : bindHost;
  const hostName = `${advertisedHost}:${port}`;
  auth.verifier = new SasTokenVerifier({
    sharedAccessKey,
    sharedAccessKeyName: keyName,
    resourceUris: [hostName, `localhost:${port}`, `127.0.0.1:${port}`],
  });
  try {
    await acks.recover();
    await jobRunner.recover();
  } catch (error) {
    timers.stop();
    server.close();
    server.closeAllConnections();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  return {
    port,
    connectionString: `HostName=${hostName};SharedAccessKeyName=${keyName};SharedAccessKey=${sharedAccessKey}`,
    caCertPem: tls.cert,
    setMaxRequestsPerSecond: (limit) => limiter.setLimit(limit),
    setThrottle: (settings) => throttle.configure(settings),
    stop: () => {
      stopping ??= (async () => {
        timers.stop();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await Promise.allSettled([...inFlight]);
        await closed;
        await jobRunner.drain();
        await acks.drain();
      })();
      return stopping;
    },
  };
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Answers before the body was read. A body small enough is drained by Node and the connection
 * kept; a larger or unbounded one is not read at all: the connection closes after the answer.
 */
function answerEarly(req: IncomingMessage, res: ServerResponse, response: HubResponse): void {
  const unbounded = bodyLeftUnread(req) && !(Number(req.headers['content-length']) <= BODY_LIMITS.small);
  write(res, unbounded ? { ...response, headers: { ...response.headers, connection: 'close' } } : response);
}

function write(res: ServerResponse, response: HubResponse): void {
  const headers: Record<string, string | number> = { ...(response.headers ?? {}) };
  if (response.body === undefined) {
    res.writeHead(response.status, { ...headers, 'content-length': 0 });
    res.end();
    return;
  }
  const payload = Buffer.from(JSON.stringify(response.body), 'utf8');
  res.writeHead(response.status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': payload.length,
  });
  res.end(payload);
}
