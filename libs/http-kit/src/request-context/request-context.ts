import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, register } from 'prom-client';
import { currentRequestId, installRequestContextStore, isValidRequestId, REQUEST_ID_HEADER } from '@fleetjobs/contracts';

const storage = new AsyncLocalStorage<string | undefined>();

// Installed once per process as soon as http-kit loads: from then on every log line and every
// envelope made while a request (or an event it caused) is handled carries its id.
installRequestContextStore({
  current: () => storage.getStore(),
  run: (requestId, work) => storage.run(requestId, work),
});

/** The request id a request arrived with, if valid, or a new one. */
export function requestIdOf(request: Pick<IncomingMessage, 'headers'>): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return isValidRequestId(given) ? given : randomUUID();
}

/** Headers to add to an internal HTTP call so that the callee logs it under the same request. */
export function requestIdHeaders(): Record<string, string> {
  const requestId = currentRequestId();
  return requestId ? { [REQUEST_ID_HEADER]: requestId } : {};
}

/** What the access log writes: one line per answered request. */
export interface AccessLogLine {
  requestId: string;
  method: string;
  path: string;
  status: number;
  ms: number;
}

/** Probes and scrapes come every few seconds and say nothing about what callers asked for. */
const QUIET_PATHS = /^\/(health\/(live|ready)|metrics)\/?$/;

function answeredCounter(): Counter<'method' | 'status'> {
  const existing = register.getSingleMetric('fleetjobs_http_requests_total');
  if (existing) return existing as Counter<'method' | 'status'>;
  return new Counter({ name: 'fleetjobs_http_requests_total', help: 'HTTP requests answered (probes and scrapes aside), by method and status', labelNames: ['method', 'status'] });
}

/**
 * Gives a request its id before anything else looks at it: the caller's `x-request-id` when valid,
 * otherwise a new one. The id is set on the request (so a proxy forwards it) and on the answer, and
 * each answered request is written to the access log once it has been sent.
 */
export function assignRequestId(writeAccessLog: (line: AccessLogLine) => void) {
  const answered = answeredCounter();
  return (request: IncomingMessage & { originalUrl?: string }, response: ServerResponse, next: () => void): void => {
    // Already given by an earlier middleware of the same process (the edge's, ahead of authentication).
    if (response.hasHeader(REQUEST_ID_HEADER)) return next();
    const requestId = requestIdOf(request);
    request.headers[REQUEST_ID_HEADER] = requestId;
    response.setHeader(REQUEST_ID_HEADER, requestId);
    const path = (request.originalUrl ?? request.url ?? '/').split('?')[0];
    if (!QUIET_PATHS.test(path)) {
      const started = process.hrtime.bigint();
      response.once('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        answered.inc({ method: request.method ?? 'GET', status: String(response.statusCode) });
        writeAccessLog({ requestId, method: request.method ?? 'GET', path, status: response.statusCode, ms: Math.round(ms * 10) / 10 });
      });
    }
    storage.run(requestId, next);
  };
}

/**
 * Enters the request's context again, after the body parsers and before the handlers: a parser that
 * calls `next` from a stream event runs outside the context the request entered (express's JSON
 * parser keeps it; this does not depend on that).
 */
export function bindRequestContext(request: IncomingMessage, _response: ServerResponse, next: () => void): void {
  const requestId = request.headers[REQUEST_ID_HEADER];
  storage.run(typeof requestId === 'string' ? requestId : undefined, next);
}
