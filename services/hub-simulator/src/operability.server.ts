import { once } from 'node:events';
import { createServer, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { collectProcessMetrics, serveMetrics } from '@fleetjobs/http-kit';

export interface OperabilityServer {
  port: number;
  stop(): Promise<void>;
}

/**
 * The simulator's `/health/live`, `/health/ready` and `/metrics`, on a plain HTTP port of their own:
 * its main port speaks only the hub's API, over TLS, to authenticated clients.
 */
export async function startOperabilityServer(options: { port: number; host: string; ready: () => Promise<boolean> }): Promise<OperabilityServer> {
  collectProcessMetrics();
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET') return answer(response, 405, { status: 'method not allowed' });
    if (path === '/health/live') return answer(response, 200, { status: 'ok' });
    if (path === '/metrics') return serveMetrics(request, response);
    if (path === '/health/ready') {
      void options.ready().catch(() => false).then((ok) => answer(response, ok ? 200 : 503, { status: ok ? 'ok' : 'unavailable', checks: [{ name: 'database', ok }] }));
      return;
    }
    answer(response, 404, { status: 'not found' });
  });
  server.listen(options.port, options.host);
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    stop: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function answer(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
