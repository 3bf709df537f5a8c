import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { problemInstance } from '../problems/problem-instance';

/** Methods a page of another site could send to change something (a form, a fetch without CORS). */
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Security headers for the API and the dashboard. The dashboard loads only its own scripts,
 * styles and the API, and talks to `connectTo` too: the origin of the OpenID provider it signs in
 * with (discovery, keys, token endpoint). The quick start serves plain HTTP, so no request is
 * upgraded to HTTPS and HSTS is left to the TLS front of a deployment.
 */
export function securityHeaders(options: { connectTo?: string[] } = {}): RequestHandler {
  const origins = (options.connectTo ?? []).flatMap((url) => {
    try {
      return [new URL(url).origin];
    } catch {
      return [];
    }
  });
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: { 'upgrade-insecure-requests': null, 'connect-src': ["'self'", ...origins], 'frame-ancestors': ["'none'"] },
    },
    strictTransportSecurity: false,
  });
}

/**
 * Whether a request that may change something comes from a page of another site: its browser
 * says so (`Sec-Fetch-Site: cross-site`), or names an `Origin` whose host is not the one the
 * request was sent to. Clients that are not browsers send neither and pass.
 */
export function isCrossSiteWrite(method: string, headers: Record<string, string | string[] | undefined>): boolean {
  if (!UNSAFE_METHODS.has(method.toUpperCase())) return false;
  const fetchSite = headers['sec-fetch-site'];
  if (fetchSite === 'cross-site') return true;
  const origin = headers.origin;
  if (typeof origin !== 'string' || origin === '') return false;
  if (origin === 'null') return true;
  const host = headers['x-forwarded-host'] ?? headers.host;
  try {
    return new URL(origin).host !== (Array.isArray(host) ? host[0] : host);
  } catch {
    return true;
  }
}

/** Refuses cross-site writes with a 403 problem: a page of another site cannot stop or start jobs. */
export function refuseCrossSiteWrites(request: Request, response: Response, next: NextFunction): void {
  if (!isCrossSiteWrite(request.method, request.headers)) return next();
  response
    .status(403)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: 'about:blank',
        title: 'Forbidden',
        status: 403,
        detail: 'A request that changes something must come from this origin: the Origin header names another site.',
        instance: problemInstance(request.originalUrl),
        errors: [{ field: 'origin', message: 'must be the origin of this server' }],
      }),
    );
}
