import { createServer, Server } from 'node:http';
import express from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { AccessConfig, accessEdge, VerifyApiToken } from '@fleetjobs/access';
import { applyServerTimeouts, assignRequestId, CallerLimits, collectProcessMetrics, createLogger, limitCallers, OPENAPI_ROUTE, openApiHandler, problemInstance, refuseCrossSiteWrites, RETRY_AFTER_SECONDS, securityHeaders, serveMetrics } from '@fleetjobs/http-kit';
import { ServiceEndpoints } from '@fleetjobs/runtime';
import { upstreamFor } from './api-routes';
import { dashboardRouter } from './dashboard-static';

function problem(status: number, title: string, detail: string, instance: string): string {
  return JSON.stringify({ type: 'about:blank', title, status, detail, instance });
}

export interface GatewayAccess {
  config: AccessConfig;
  /** Who an API token stands for; by default, asked of job-command, which owns the tokens. */
  verifyApiToken: VerifyApiToken;
  limits: CallerLimits;
}

/**
 * The one public origin of the distributed topology: the REST API routed to the service that
 * owns each path, and the dashboard. Every API request is authenticated here and carries its
 * actor on; internal endpoints are not reachable through it.
 */
export function createApiGateway(endpoints: ServiceEndpoints, access: GatewayAccess, logger = createLogger('api-gateway')): Server {
  const app = express();
  app.disable('x-powered-by');
  // First: even a refused request gets its id, is logged, and the services see the same id.
  app.use(assignRequestId(({ requestId, ...line }) => logger.info({ requestId, ...line }, 'answered')));
  // The dashboard fetches the OpenID provider's discovery, keys and tokens from its page.
  app.use(securityHeaders({ connectTo: access.config.oidc ? [access.config.oidc.issuer] : [] }));
  app.use(refuseCrossSiteWrites);
  app.use(accessEdge({ config: access.config, verifyApiToken: access.verifyApiToken }));
  app.use(limitCallers(access.limits));
  app.get('/health/live', (_request, response) => {
    response.json({ status: 'ok' });
  });
  app.get('/health/ready', async (_request, response) => {
    const checks = await Promise.all(
      Object.entries(endpoints).map(async ([name, url]) => ({
        name,
        ok: await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false),
      })),
    );
    const ok = checks.every((check) => check.ok);
    response.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', checks });
  });
  collectProcessMetrics();
  app.get('/metrics', serveMetrics);
  app.get(OPENAPI_ROUTE, openApiHandler);
  const proxy = createProxyMiddleware({
    router: (request) => upstreamFor(request.method ?? 'GET', request.url ?? '', endpoints) ?? endpoints.projection,
    changeOrigin: false,
    xfwd: true,
    proxyTimeout: 120_000,
    on: {
      // The owning service is down, restarting or too slow: a retryable 503, never a bare socket error.
      error: (_error, request, response) => {
        if ('writeHead' in response && !response.headersSent) {
          response.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': String(RETRY_AFTER_SECONDS) });
          response.end(problem(503, 'Service Unavailable', 'The service answering this path is not reachable; try again shortly.', problemInstance(request.url)));
        } else if ('destroy' in response) {
          response.destroy();
        }
      },
    },
  });
  app.use((request, response, next) => {
    if (upstreamFor(request.method, request.originalUrl, endpoints)) return proxy(request, response, next);
    next();
  });
  app.use(dashboardRouter());
  app.use((request, response) => {
    response.status(404).type('application/problem+json').send(problem(404, 'Not found', `Nothing is served at ${request.path}.`, problemInstance(request.originalUrl)));
  });
  const server = createServer(app);
  // The public listener: idle or slowly sending clients are cut off here, as at every service.
  applyServerTimeouts(server);
  return server;
}
