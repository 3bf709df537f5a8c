import { Inject, Injectable } from '@nestjs/common';
import { DependencyUnavailableError, requestIdHeaders } from '@fleetjobs/http-kit';
import { SERVICE_ENDPOINTS, ServiceEndpoints } from '@fleetjobs/runtime';
import type { OverlapCount } from '../preview/job-overlap.model';
import { JobPreviewSources, OVERLAP_PAGE_SIZE } from '../preview/job-preview-sources.port';

const CALL_TIMEOUT_MS = 30_000;

/**
 * Pages a set's member ids from device-set (`/internal/device-sets/{id}/member-ids`) and asks the
 * projection (`/internal/job-overlaps`) which active jobs hold a page of ids. When either cannot
 * answer, the preview is answered 503 (retry), never a guess.
 */
@Injectable()
export class HttpJobPreviewSources implements JobPreviewSources {
  constructor(@Inject(SERVICE_ENDPOINTS) private readonly endpoints: ServiceEndpoints) {}

  async *memberIds(deviceSet: string): AsyncIterable<string[]> {
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ limit: String(OVERLAP_PAGE_SIZE), ...(cursor ? { cursor } : {}) });
      const url = `${this.endpoints.deviceSet}/internal/device-sets/${encodeURIComponent(deviceSet)}/member-ids?${query}`;
      const body = await call('device-set', url, undefined);
      const page = pageOf(body);
      if (!page) throw new DependencyUnavailableError('device-set', 'device-set answered an unreadable page of member ids');
      yield page.value;
      cursor = page.nextCursor;
    } while (cursor !== null);
  }

  async overlapsAmong(deviceIds: readonly string[], excludeJobId: string | null): Promise<OverlapCount[]> {
    if (deviceIds.length === 0) return [];
    const body = await call('projection', `${this.endpoints.projection}/internal/job-overlaps`, {
      deviceIds,
      ...(excludeJobId ? { excludeJobId } : {}),
    });
    const value = (body as { value?: unknown }).value;
    if (!Array.isArray(value) || !value.every(isOverlapCount)) {
      throw new DependencyUnavailableError('projection', 'projection answered unreadable overlaps');
    }
    return value;
  }
}

async function call(peer: string, url: string, body: unknown): Promise<unknown> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { ...requestIdHeaders(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
    text = await response.text();
  } catch (error) {
    throw new DependencyUnavailableError(peer, `${peer} did not answer the preview's question`, { cause: error });
  }
  if (!response.ok) throw new DependencyUnavailableError(peer, `${peer} answered ${response.status}: ${text.slice(0, 500)}`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DependencyUnavailableError(peer, `${peer} answered something other than JSON`, { cause: error });
  }
}

function pageOf(body: unknown): { value: string[]; nextCursor: string | null } | null {
  const page = body as { value?: unknown; nextCursor?: unknown };
  if (!page || !Array.isArray(page.value) || !page.value.every((id) => typeof id === 'string')) return null;
  if (page.nextCursor !== null && typeof page.nextCursor !== 'string') return null;
  return { value: page.value as string[], nextCursor: page.nextCursor };
}

function isOverlapCount(item: unknown): item is OverlapCount {
  const row = item as Partial<OverlapCount> | null;
  return (
    !!row &&
    typeof row.jobId === 'string' &&
    typeof row.displayName === 'string' &&
    typeof row.status === 'string' &&
    typeof row.sharedDevices === 'number' &&
    Array.isArray(row.operations)
  );
}
