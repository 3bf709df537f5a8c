import { Inject, Injectable } from '@nestjs/common';
import { DependencyUnavailableError, requestIdHeaders } from '@fleetjobs/http-kit';
import { SERVICE_ENDPOINTS, ServiceEndpoints } from '@fleetjobs/runtime';
import { JobDeviceOutcomes } from '../job-device-outcomes.port';

const PAGE_TIMEOUT_MS = 30_000;
const PAGE_SIZE = 5_000;
const PEER = 'projection';

/**
 * Reads a job's device ids from the projection's internal endpoint, a page at a time. When the
 * projection cannot answer, or does not know the job yet, the caller is told to retry (503).
 */
@Injectable()
export class HttpJobDeviceOutcomes implements JobDeviceOutcomes {
  constructor(@Inject(SERVICE_ENDPOINTS) private readonly endpoints: ServiceEndpoints) {}

  async *deviceIds(jobId: string, status?: 'failed'): AsyncIterable<string[]> {
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE), ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) });
      const page = await this.page(`${this.endpoints.projection}/internal/jobs/${encodeURIComponent(jobId)}/device-ids?${query}`);
      yield page.value;
      cursor = page.nextCursor;
    } while (cursor !== null);
  }

  private async page(url: string): Promise<{ value: string[]; nextCursor: string | null }> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { headers: requestIdHeaders(), signal: AbortSignal.timeout(PAGE_TIMEOUT_MS) });
      text = await response.text();
    } catch (error) {
      throw new DependencyUnavailableError(PEER, `${PEER} did not answer the job's device ids`, { cause: error });
    }
    if (!response.ok) throw new DependencyUnavailableError(PEER, `${PEER} answered ${response.status}: ${text.slice(0, 500)}`);
    const body = parse(text);
    if (!body) throw new DependencyUnavailableError(PEER, `${PEER} answered an unreadable page of device ids`);
    return body;
  }
}

function parse(text: string): { value: string[]; nextCursor: string | null } | null {
  try {
    const body = JSON.parse(text) as { value?: unknown; nextCursor?: unknown };
    if (!Array.isArray(body.value) || !body.value.every((id) => typeof id === 'string')) return null;
    if (body.nextCursor !== null && typeof body.nextCursor !== 'string') return null;
    return { value: body.value as string[], nextCursor: body.nextCursor };
  } catch {
    return null;
  }
}
