import { QueryParseError } from '../device-query.parser';
import { parseDeviceJobsQuery } from '../device-jobs-query.parser';
import { errors } from '../http/iot-hub-errors';
import { BODY_LIMITS, header, HubRequest, HubResponse, json, Route, route } from '../http/hub-exchange';
import { renderDeviceJob, renderJob, readJobRequest } from '../hub-job.document';
import { HubJobRunner } from '../hub-job.runner';
import { twinPatchLimitError } from '../hub-limits.admission';
import { HubJobStore } from '../store/hub-job.store';

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

/**
 * IoT Hub's jobs API as azure-iothub's JobClient calls it: `PUT /jobs/v2/{id}` (scheduleTwinUpdate,
 * scheduleDeviceMethod), `GET /jobs/v2/{id}`, `POST /jobs/v2/{id}/cancel` and `GET /jobs/v2/query`.
 * A job beyond the hub's concurrent jobs is refused with 429 ThrottlingMaxActiveJobCountExceeded,
 * a job id already used with 409 JobAlreadyExists.
 */
export function jobRoutes(store: HubJobStore, runner: HubJobRunner, maxActiveJobs: () => number): Route[] {
  return [
    route('GET', /^\/jobs\/v2\/query$/, async (request) => {
      const pageSize = clamp(Number(header(request, 'x-ms-max-item-count') ?? DEFAULT_PAGE_SIZE), 1, MAX_PAGE_SIZE);
      const token = header(request, 'x-ms-continuation');
      const page = await store.list(
        { type: request.query.get('jobType') ?? undefined, status: request.query.get('jobStatus') ?? undefined },
        pageSize,
        token ? Buffer.from(token, 'base64url').toString('utf8') : null,
      );
      const headers: Record<string, string> = {};
      if (page.more) headers['x-ms-continuation'] = Buffer.from(page.jobs[page.jobs.length - 1].jobId, 'utf8').toString('base64url');
      return json(200, page.jobs.map(renderJob), headers);
    }),

    route(
      'PUT',
      /^\/jobs\/v2\/([^/]+)$/,
      async (request, [jobId]) => {
        const spec = readJobRequest(jobId, request.body, request.arrivedAt.getTime());
        if (typeof spec === 'string') return errors.badRequest(spec);
        if (spec.updateTwin) {
          const refused = twinPatchLimitError(spec.updateTwin);
          if (refused) return refused;
        }
        const created = await store.create(spec, maxActiveJobs());
        if (created.outcome === 'exists') return errors.jobAlreadyExists(jobId);
        if (created.outcome === 'too-many') return errors.tooManyActiveJobs(created.limit);
        runner.start(created.job);
        return json(200, renderJob(created.job));
      },
      { maxBodyBytes: BODY_LIMITS.method },
    ),

    route('GET', /^\/jobs\/v2\/([^/]+)$/, async (_request, [jobId]) => {
      const job = await store.get(jobId);
      return job ? json(200, renderJob(job)) : errors.jobNotFound(jobId);
    }),

    route('POST', /^\/jobs\/v2\/([^/]+)\/cancel$/, async (_request, [jobId]) => {
      // The runner stops starting device operations before anything else: the cancel holds once answered.
      const wasRunning = runner.cancel(jobId);
      const job = await store.get(jobId);
      if (!job) return errors.jobNotFound(jobId);
      if (wasRunning || job.status === 'queued' || job.status === 'scheduled' || job.status === 'running') {
        await store.setStatus(jobId, 'cancelled', { end: true });
        await store.endDevices(jobId, ['pending'], 'cancelled', null);
      }
      return json(200, renderJob((await store.get(jobId)) ?? job));
    }),
  ];
}

/** `SELECT * FROM devices.jobs [WHERE devices.jobs.<field> = '<value>' ...]` through `POST /devices/query`. */
export function deviceJobsQuery(store: HubJobStore): (request: HubRequest, text: string) => Promise<HubResponse> {
  return async (request, text) => {
    let query;
    try {
      query = parseDeviceJobsQuery(text);
    } catch (error) {
      if (error instanceof QueryParseError) return errors.badRequest(`invalid query: ${error.message}`);
      throw error;
    }
    const pageSize = clamp(Number(header(request, 'x-ms-max-item-count') ?? MAX_PAGE_SIZE), 1, MAX_PAGE_SIZE);
    const token = header(request, 'x-ms-continuation');
    const [jobId, deviceId] = token ? Buffer.from(token, 'base64url').toString('utf8').split('\n') : [];
    const page = await store.deviceJobs(query, pageSize, token ? { jobId, deviceId: deviceId ?? '' } : null);
    const headers: Record<string, string> = { 'x-ms-item-type': 'deviceJob' };
    const last = page.rows[page.rows.length - 1];
    if (page.more && last) headers['x-ms-continuation'] = Buffer.from(`${last.jobId}\n${last.deviceId}`, 'utf8').toString('base64url');
    return json(200, page.rows.map(renderDeviceJob), headers);
  };
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : min;
}
