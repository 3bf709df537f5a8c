import type { Request, Response } from 'express';
import { collectDefaultMetrics, register } from 'prom-client';

let defaultMetricsCollected = false;

/** The gateway's Prometheus scrape endpoint: its process figures and the requests it answered (`fleetjobs_http_requests_total`). */
export function gatewayMetricsHandler(): (request: Request, response: Response) => void {
  if (!defaultMetricsCollected) {
    collectDefaultMetrics({ register });
    defaultMetricsCollected = true;
  }
  return (_request, response) => {
    register.metrics().then(
      (text) => response.type(register.contentType).send(text),
      (error: unknown) => response.status(500).type('text/plain').send(String(error)),
    );
  };
}
