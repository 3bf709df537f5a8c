/** A thin client of the public REST API (PRODUCT.md §2) for the end-to-end scenarios. */
import { assertConformingAnswer } from '@fleetjobs/testing';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

function isConnectionReset(error: unknown): boolean {
  const code = (error as { cause?: { code?: string } })?.cause?.code;
  return code === 'ECONNRESET' || code === 'UND_ERR_SOCKET';
}

export interface FleetjobsClientOptions {
  /** Every answer must be one docs/openapi.yaml describes (status, content type, body schema); a request that gets another throws. */
  conformance?: boolean;
}

export class FleetjobsClient {
  /** `token`: the API token or OIDC access token every request carries; none sends no credentials. */
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
    readonly options: FleetjobsClientOptions = {},
  ) {}

  /** The same API as another caller. */
  as(token: string | undefined): FleetjobsClient {
    return new FleetjobsClient(this.baseUrl, token, this.options);
  }

  /**
   * Throws unless an answer is as docs/openapi.yaml describes, when this client checks its answers;
   * also for requests sent with fetch. The document describes the REST API (`/api/…`); the
   * operability endpoints (`/health/…`, `/metrics`) are outside it.
   */
  async conforms(method: string, path: string, response: Response, body = ''): Promise<void> {
    if (!this.options.conformance || !path.startsWith('/api/')) return;
    await assertConformingAnswer({ method, url: path, status: response.status, contentType: response.headers.get('content-type'), body });
  }

  /** The headers of an authenticated request, for callers that use fetch themselves. */
  authHeaders(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  async request<T = any>(method: string, path: string, body?: unknown, rawBody?: string): Promise<ApiResponse<T>> {
    const send = () =>
      fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { ...this.authHeaders(), ...(body !== undefined || rawBody !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
      });
    // As a browser does: an idempotent request whose kept-alive connection was closed under it is sent once more.
    const response = await send().catch((error: unknown) => {
      if (IDEMPOTENT_METHODS.has(method) && isConnectionReset(error)) return send();
      throw error;
    });
    const text = await response.text();
    await this.conforms(method, path, response, text);
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  get = <T = any>(path: string) => this.request<T>('GET', path);
  put = <T = any>(path: string, body: unknown) => this.request<T>('PUT', path, body);
  post = <T = any>(path: string, body?: unknown) => this.request<T>('POST', path, body);
  delete = <T = any>(path: string) => this.request<T>('DELETE', path);

  /** Every item of a paged list, following nextCursor. */
  async all<T = any>(path: string, limit = 1000): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const page: ApiResponse<{ value: T[]; nextCursor: string | null }> = await this.get(
        `${path}${separator}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      if (page.status !== 200) throw new Error(`GET ${path} answered ${page.status}: ${JSON.stringify(page.body)}`);
      items.push(...page.body.value);
      cursor = page.body.nextCursor;
    } while (cursor);
    return items;
  }
}

/** Polls until `probe` returns a truthy value; fails with the last value seen. */
export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 60_000, what = 'a condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (accept(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)?.slice(0, 2000)}`);
}

/** A unique id prefix per test, so scenarios never see each other's data. */
export function uniqueId(label: string): string {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}
