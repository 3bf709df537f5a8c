import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_ENDPOINTS, ServiceEndpoints } from '@fleetjobs/runtime';
import { DispatchControl } from '../dispatch-control.port';

/** Calls the dispatchers' internal halt endpoint; they share one work table, so one answer holds for all. */
@Injectable()
export class HttpDispatchControl implements DispatchControl {
  constructor(@Inject(SERVICE_ENDPOINTS) private readonly endpoints: ServiceEndpoints) {}

  async halt(jobId: string): Promise<void> {
    const response = await fetch(`${this.endpoints.dispatcher}/internal/jobs/${encodeURIComponent(jobId)}/halt`, {
      method: 'POST',
      signal: AbortSignal.timeout(30_000),
    });
    if (!response.ok) throw new Error(`dispatcher could not halt job ${jobId}: ${response.status}`);
  }
}
