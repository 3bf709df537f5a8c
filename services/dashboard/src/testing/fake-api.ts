import { vi } from 'vitest';
import { JobDevice } from '../api/fleetjobs-api.types';

/** One request the dashboard sent, as the stubbed API saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  /** `authorization` carries the credential the dashboard sent, if any. */
  headers: Headers;
}

export interface FakeAnswer {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Handler = (request: SeenRequest, params: string[]) => FakeAnswer | undefined;

/**
 * Replaces `fetch` (the dashboard's only way out) with a table of answers, as in
 * `'GET /api/device-sets/:id/devices'`. Unanswered requests get a 404 problem.
 */
export function stubApi(routes: Record<string, Handler>) {
  const table = Object.entries(routes).map(([key, handler]) => {
    const [method, pattern] = key.split(' ');
    const regex = new RegExp(`^${pattern.replace(/:[a-z]+/gi, '([^/]+)')}$`);
    return { method, regex, handler };
  });
  const requests: SeenRequest[] = [];
  const fetchStub = vi.fn(async (input: string, init: RequestInit = {}) => {
    const url = new URL(input, 'http://dashboard.test');
    const request: SeenRequest = {
      method: init.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      headers: new Headers(init.headers),
    };
    requests.push(request);
    for (const route of table) {
      const match = route.method === request.method ? route.regex.exec(request.path) : null;
      const answer = match ? route.handler(request, match.slice(1).map(decodeURIComponent)) : undefined;
      if (answer) return respond(answer);
    }
    return respond({ status: 404, body: { title: 'Not found', status: 404, detail: `${request.method} ${request.path}` } });
  });
  vi.stubGlobal('fetch', fetchStub);
  return { requests, fetch: fetchStub };
}

function respond({ status = 200, body, headers = {} }: FakeAnswer): Response {
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': type, ...headers } });
}

/** Pages `items` the way the API does: `limit` and an opaque `cursor`. */
export function pageOf<T>(items: T[], query: URLSearchParams): { value: T[]; nextCursor: string | null } {
  const limit = Number(query.get('limit') ?? 100);
  const offset = Number(query.get('cursor') ?? 0);
  const next = offset + limit;
  return { value: items.slice(offset, next), nextCursor: next < items.length ? String(next) : null };
}

/**
 * Answers `GET /api/jobs/{id}/devices` the way the API does: `status` and `search` (part of the
 * device id, any case, at most 128 characters) combine, and pages follow device id order with
 * a cursor that names the last id shown.
 */
export function jobDevicesAnswer(devices: JobDevice[], query: URLSearchParams): FakeAnswer {
  const status = query.get('status');
  const search = query.get('search')?.toLowerCase();
  if (search && search.length > 128) {
    return { status: 400, body: { title: 'Bad request', status: 400, errors: [{ field: 'search', message: 'must be at most 128 characters' }] } };
  }
  const limit = Number(query.get('limit') ?? 100);
  const after = query.get('cursor');
  const matching = devices
    .filter((d) => !status || d.status === status)
    .filter((d) => !search || d.deviceId.toLowerCase().includes(search))
    .filter((d) => !after || d.deviceId > after)
    .sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
  const value = matching.slice(0, limit);
  return { body: { value, nextCursor: matching.length > limit ? value[value.length - 1].deviceId : null } };
}
