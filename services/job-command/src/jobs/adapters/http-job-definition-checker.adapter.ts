import { Inject, Injectable } from '@nestjs/common';
import { DependencyUnavailableError, FieldError, requestIdHeaders } from '@fleetjobs/http-kit';
import { SERVICE_ENDPOINTS, ServiceEndpoints } from '@fleetjobs/runtime';
import { JobDefinitionChecker, JobTargetsRequest, JobTargetsVerdict } from '../job-definition-checker.port';

const CHECK_TIMEOUT_MS = 30_000;
const PEER = 'device-set';

/**
 * Calls device-set's internal job-definition check over HTTP. When device-set cannot answer
 * (unreachable, timed out, 5xx), the job is not refused: the caller is told to retry (503).
 */
@Injectable()
export class HttpJobDefinitionChecker implements JobDefinitionChecker {
  constructor(@Inject(SERVICE_ENDPOINTS) private readonly endpoints: ServiceEndpoints) {}

  async check(request: JobTargetsRequest): Promise<JobTargetsVerdict> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.endpoints.deviceSet}/internal/job-definition-checks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...requestIdHeaders() },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
      });
      text = await response.text();
    } catch (error) {
      throw new DependencyUnavailableError(PEER, `${PEER} did not answer the job-definition check`, { cause: error });
    }
    if (response.status >= 500) {
      throw new DependencyUnavailableError(PEER, `${PEER} answered ${response.status}: ${text.slice(0, 500)}`);
    }
    const body = parseObject(text);
    if (response.ok) {
      if (typeof body.template !== 'string') throw new DependencyUnavailableError(PEER, `${PEER} answered without a template`);
      return { ok: true, template: body.template, ...(typeof body.memberCount === 'number' ? { memberCount: body.memberCount } : {}) };
    }
    return {
      ok: false,
      status: response.status,
      detail: String(body.detail ?? 'The job cannot be created.'),
      errors: Array.isArray(body.errors) ? (body.errors as FieldError[]) : [],
    };
  }
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
