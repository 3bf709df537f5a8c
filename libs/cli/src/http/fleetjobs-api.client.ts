import { UnreachableError } from '../cli.errors';
import type { Connection } from '../connection';
import { ApiError, parseProblem } from './api-error';

type Fetch = typeof globalThis.fetch;

/** A list page of the API: `{value, nextCursor}`. */
export interface Page<T> {
  value: T[];
  nextCursor: string | null;
}

/** The Fleetjobs REST API over fetch: JSON requests, and raw answers for streams and exports. */
export class FleetjobsApiClient {
  constructor(
    private readonly connection: Connection,
    private readonly fetchImpl: Fetch = globalThis.fetch,
  ) {}

  get baseUrl(): string {
    return this.connection.baseUrl;
  }

  /** Sends JSON (when a body is given) and reads the JSON answer; a non-2xx answer throws ApiError. */
  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.send(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return (text ? JSON.parse(text) : null) as T;
  }

  /** A successful answer whose body the caller reads (an event stream, an export). */
  open(path: string, accept: string, signal?: AbortSignal): Promise<Response> {
    return this.send(path, { method: 'GET', headers: { accept }, signal });
  }

  /** Every item of a paged list, following `nextCursor`. */
  async *pages<T>(path: string): AsyncGenerator<T[]> {
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const page: Page<T> = await this.json<Page<T>>('GET', cursor ? `${path}${separator}cursor=${encodeURIComponent(cursor)}` : path);
      yield page.value;
      cursor = page.nextCursor;
    } while (cursor);
  }

  private async send(path: string, init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal }): Promise<Response> {
    const headers = { ...init.headers, ...(this.connection.token ? { authorization: `Bearer ${this.connection.token}` } : {}) };
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.connection.baseUrl}${path}`, { ...init, headers });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new UnreachableError(this.connection.baseUrl, reasonOf(error));
    }
    if (response.ok) return response;
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new ApiError(
      response.status,
      response.statusText,
      parseProblem(await response.text().catch(() => '')),
      this.connection.token !== null,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    );
  }
}

/** fetch hides the network error (ECONNREFUSED, ENOTFOUND, ...) in `cause`. */
function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
