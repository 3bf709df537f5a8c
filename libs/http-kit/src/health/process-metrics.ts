import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, register } from 'prom-client';

/** Node's process figures (CPU, memory, event-loop lag, GC) in the default registry, once per process. */
export function collectProcessMetrics(): void {
  if (register.getSingleMetric('process_cpu_seconds_total')) return;
  collectDefaultMetrics({ register });
}

/** Answers a Prometheus scrape with the process's default registry, for a process without Nest. */
export function serveMetrics(_request: IncomingMessage, response: ServerResponse): void {
  register.metrics().then(
    (text) => {
      response.writeHead(200, { 'content-type': register.contentType });
      response.end(text);
    },
    (error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    },
  );
}
