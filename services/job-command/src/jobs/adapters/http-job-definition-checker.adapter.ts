import { Inject, Injectable } from '@nestjs/common';
import { FieldError } from '@fleetjobs/http-kit';
import { SERVICE_ENDPOINTS, ServiceEndpoints } from '@fleetjobs/runtime';
import { JobDefinitionChecker, JobTargetsRequest, JobTargetsVerdict } from '../job-definition-checker.port';

/** Calls device-set's internal job-definition check over HTTP. */
@Injectable()
export class HttpJobDefinitionChecker implements JobDefinitionChecker {
  constructor(@Inject(SERVICE_ENDPOINTS) private readonly endpoints: ServiceEndpoints) {}

  async check(request: JobTargetsRequest): Promise<JobTargetsVerdict> {
    const response = await fetch(`${this.endpoints.deviceSet}/internal/job-definition-checks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await response.json()) as Record<string, unknown>;
    if (response.ok) return { ok: true, template: String(body.template) };
    if (response.status >= 500) throw new Error(`device-set answered ${response.status}: ${JSON.stringify(body)}`);
    return {
      ok: false,
      status: response.status,
      detail: String(body.detail ?? 'The job cannot be created.'),
      errors: Array.isArray(body.errors) ? (body.errors as FieldError[]) : [],
    };
  }
}
