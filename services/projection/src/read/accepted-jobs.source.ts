import { Inject, Injectable } from '@nestjs/common';
import { requestIdHeaders } from '@fleetjobs/http-kit';
import { SERVICE_ENDPOINTS, ServiceEndpoints } from '@fleetjobs/runtime';
import { JobView } from './job.view';

/**
 * Jobs the owner (job-command) has accepted but this read model has not caught up with yet.
 * Shown as pending, with no devices resolved so far, so that a read right after a create works.
 */
@Injectable()
export class AcceptedJobsSource {
  constructor(@Inject(SERVICE_ENDPOINTS) private readonly endpoints: ServiceEndpoints) {}

  async find(jobId: string): Promise<JobView | null> {
    const response = await fetch(`${this.endpoints.jobCommand}/internal/jobs/${encodeURIComponent(jobId)}`, {
      headers: requestIdHeaders(),
      signal: AbortSignal.timeout(5_000),
    }).catch(() => null);
    if (!response?.ok) return null;
    const job = (await response.json()) as Omit<
      JobView,
      'error' | 'startedAt' | 'endedAt' | 'counts' | 'rollout' | 'rolloutProgress' | 'createdBy' | 'stoppedBy' | 'approval' | 'rerunOf' | 'settledAt' | 'nextStartAt'
    > & { rollout?: JobView['rollout']; createdBy?: JobView['createdBy']; approval?: JobView['approval']; rerunOf?: string | null; nextStartAt?: string | null };
    return {
      ...job,
      rollout: job.rollout ?? null,
      createdBy: job.createdBy ?? null,
      stoppedBy: null,
      approval: job.approval ?? null,
      rerunOf: job.rerunOf ?? null,
      nextStartAt: job.nextStartAt ?? null,
      waitingFor: job.waitingFor ?? [],
      rolloutProgress: null,
      error: null,
      startedAt: null,
      endedAt: null,
      settledAt: null,
      counts: { total: 0, pending: 0, completed: 0, failed: 0 },
    };
  }
}
