import { IncomingHttpHeaders } from 'node:http';

/** A parsed request as route handlers see it. */
export interface HubRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** The `Request-Id` the SDK sends with every call. */
  requestId: string | null;
}

/** What a handler answers; the server serializes `body` as JSON. */
export interface HubResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (request: HubRequest, params: string[]) => Promise<HubResponse>;

export interface Route {
  method: string;
  pattern: RegExp;
  handler: RouteHandler;
  /** Simulator administration: authenticated, but outside the hub's rate limit. */
  admin?: boolean;
}

export function route(method: string, pattern: RegExp, handler: RouteHandler, admin = false): Route {
  return { method, pattern, handler, admin };
}

export function json(status: number, body: unknown, headers?: Record<string, string>): HubResponse {
  return { status, body, headers };
}

export function header(request: HubRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Finds the route for a request; path parameters come back URI-decoded. */
export function matchRoute(routes: readonly Route[], method: string, path: string): { route: Route; params: string[] } | null {
  for (const candidate of routes) {
    if (candidate.method !== method) continue;
    const match = candidate.pattern.exec(path);
    if (match) return { route: candidate, params: match.slice(1).map((segment) => decodeURIComponent(segment)) };
  }
  return null;
}
