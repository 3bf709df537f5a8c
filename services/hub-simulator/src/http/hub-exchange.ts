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
  /** When the request reached the hub: the operation log records this, not when its write ran. */
  arrivedAt: Date;
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
  admin: boolean;
  /** The largest body accepted; larger ones are answered 413 without being read. */
  maxBodyBytes: number;
}

/** IoT Hub's own limits bound its requests: a twin's tags 8 KB and desired properties 32 KB, a method payload 128 KB. */
export const BODY_LIMITS = {
  /** Twin patches, identity writes, queries. */
  small: 64 * 1024,
  /** A direct method's payload of up to 128 KB with its envelope. */
  method: 192 * 1024,
  /** A bulk registry request of up to 100 devices, each with its tags. */
  bulk: 1024 * 1024,
  /** Seeding up to 10,000 devices with their tags (simulator administration). */
  seed: 32 * 1024 * 1024,
} as const;

export function route(
  method: string,
  pattern: RegExp,
  handler: RouteHandler,
  options: { admin?: boolean; maxBodyBytes?: number } = {},
): Route {
  return { method, pattern, handler, admin: options.admin ?? false, maxBodyBytes: options.maxBodyBytes ?? BODY_LIMITS.small };
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
