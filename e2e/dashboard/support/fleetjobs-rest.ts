import type { ApiSchema } from '@fleetjobs/contracts';
import { waitFor } from './wait-for';

// The API's shapes come from the one contract (docs/openapi.yaml, generated into libs/contracts).
export type RestJob = ApiSchema<'Job'>;
export type RestJobDevice = ApiSchema<'JobDevice'>;
export type RestDeviceSet = ApiSchema<'DeviceSet'>;

/** The REST API of PRODUCT.md §2, as the browser tests use it to prepare and check their data. */
export class FleetjobsRest {
  /** `token`: the bearer token every call carries (the system's administrator token in the tests). */
  constructor(
    private readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  putTemplate(id: string, displayName: string, capabilities: { name: string; kind: string; schema: string }[]) {
    return this.call('PUT', `/api/device-templates/${id}`, { displayName, capabilities });
  }

  deleteTemplate(id: string) {
    return this.call('DELETE', `/api/device-templates/${id}`);
  }

  putDevices(devices: { id: string; displayName: string; template: string; tags: Record<string, unknown> }[]) {
    return this.call('POST', '/api/devices/batch', { devices });
  }

  putDeviceSet(id: string, displayName: string, conditions: { field: string; operator: string; value: unknown }[]) {
    return this.call('PUT', `/api/device-sets/${id}`, { displayName, conditions });
  }

  getDeviceSet(id: string) {
    return this.call<RestDeviceSet>('GET', `/api/device-sets/${id}`);
  }

  createJob(body: ApiSchema<'JobBody'>) {
    return this.call<ApiSchema<'AcceptedJob'>>('POST', '/api/jobs', body);
  }

  getJob(id: string) {
    return this.call<RestJob>('GET', `/api/jobs/${encodeURIComponent(id)}`);
  }

  stopJob(id: string) {
    return this.call('POST', `/api/jobs/${encodeURIComponent(id)}/stop`);
  }

  /** Every device of a job, read page by page. */
  async jobDevices(id: string, status = ''): Promise<RestJobDevice[]> {
    const all: RestJobDevice[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ limit: '1000', ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) });
      const page: { value: RestJobDevice[]; nextCursor: string | null } = await this.call('GET', `/api/jobs/${encodeURIComponent(id)}/devices?${query}`);
      all.push(...page.value);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  /** Waits until the job (readable once the projection has it) satisfies `done`. */
  waitForJob(id: string, what: string, done: (job: RestJob) => boolean, timeoutMs = 120_000): Promise<RestJob> {
    return waitFor(`job ${id} ${what}`, async () => {
      const job = await this.getJob(id);
      return done(job) ? job : false;
    }, { timeoutMs, intervalMs: 500 });
  }

  /** Fails fast, with a clear message, when no system answers at the URL. */
  async assertReachable(): Promise<void> {
    try {
      await this.call('GET', '/api/device-templates?limit=1');
    } catch (error) {
      throw new Error(`The Fleetjobs system at ${this.baseUrl} does not answer: ${(error as Error).message}`);
    }
  }
}
