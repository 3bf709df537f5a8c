import { Controller, Get, Param, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { IdPipe, NotFoundProblem, Page, parseLimit, ProblemException } from '@fleetjobs/http-kit';
import type { Request, Response } from 'express';
import { Readable } from 'node:stream';
import { AcceptedJobsSource } from './accepted-jobs.source';
import { GetJobQuery } from './get-job.request.dto';
import { JobHistoryQuery } from './job-history.query';
import { jobViewAt } from './job-view-at';
import { encodeExport, EXPORT_FORMATS, ExportFormat } from './job-devices.export';
import { JobDeviceView, JobView } from './job.view';
import { DeviceFilter, JobViewsQuery } from './job-views.query';
import { ListJobDevicesQuery } from './list-job-devices.request.dto';
import { ListJobsQuery } from './list-jobs.request.dto';
import { toIsoInstant } from '../jobs/projection-time';

const filterOf = (query: ListJobDevicesQuery): DeviceFilter => ({
  status: query.status || undefined,
  search: query.search || undefined,
  at: toIsoInstant(query.at) ?? undefined,
});

/** The job was created after the instant asked for: it did not exist then. */
const notYetProblem = (id: string, at: string) => new ProblemException(404, 'Not found', `Job "${id}" did not exist at ${at}.`);

/** The export format the `Accept` header prefers; null for the JSON pages (also for `*\/*`). */
function negotiated(request: Request): ExportFormat | null {
  const preferred = request.accepts(['application/json', EXPORT_FORMATS.csv.mediaType, EXPORT_FORMATS.ndjson.mediaType]);
  if (preferred === EXPORT_FORMATS.csv.mediaType) return 'csv';
  if (preferred === EXPORT_FORMATS.ndjson.mediaType) return 'ndjson';
  return null;
}

/** REST reads of jobs (PRODUCT.md §2). */
@Controller('api/jobs')
export class JobsHttpController {
  constructor(
    private readonly views: JobViewsQuery,
    private readonly accepted: AcceptedJobsSource,
    private readonly history: JobHistoryQuery,
  ) {}

  @Get()
  list(@Query() query: ListJobsQuery): Promise<Page<JobView>> {
    return this.views.listJobs({
      status: query.status || undefined,
      scheduleId: query.scheduleId || undefined,
      limit: parseLimit(query.limit),
      cursor: query.cursor || undefined,
    });
  }

  /** The job now, or as it was at `?at=` (404 before it was created). */
  @Get(':id')
  async get(@Param('id', IdPipe) id: string, @Query() query: GetJobQuery): Promise<JobView> {
    const at = toIsoInstant(query.at);
    if (at !== null) return this.getAt(id, at);
    const job = (await this.views.getJob(id)) ?? (await this.accepted.find(id));
    if (!job) throw new NotFoundProblem('Job', id);
    return job;
  }

  private async getAt(id: string, at: string): Promise<JobView> {
    const history = await this.history.read(id, at);
    if (history === 'later') throw notYetProblem(id, at);
    if (history) return jobViewAt(history, at);
    // Accepted but not yet projected: nothing had happened to it yet but its creation.
    const accepted = await this.accepted.find(id);
    if (!accepted) throw new NotFoundProblem('Job', id);
    if (Date.parse(accepted.createdAt) > Date.parse(at)) throw notYetProblem(id, at);
    return accepted;
  }

  /**
   * Whether the read model knows the job that existed at `at` (false: only job-command has accepted
   * it so far); 404 when nobody knows the job or it was created after `at`.
   */
  private async existedAt(id: string, at: string): Promise<boolean> {
    const projected = await this.history.createdAt(id);
    const created = projected ?? (await this.accepted.find(id))?.createdAt ?? null;
    if (created === null) throw new NotFoundProblem('Job', id);
    if (Date.parse(created) > Date.parse(at)) throw notYetProblem(id, at);
    return projected !== null;
  }

  /** One JSON page, or every device streamed as CSV or NDJSON when the `Accept` header asks for it. */
  @Get(':id/devices')
  async devices(
    @Param('id', IdPipe) id: string,
    @Query() query: ListJobDevicesQuery,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Page<JobDeviceView> | StreamableFile> {
    response.vary('Accept');
    const format = negotiated(request);
    const filter = filterOf(query);
    if (format) return this.export(id, format, filter, response);
    if (filter.at !== undefined && !(await this.existedAt(id, filter.at))) return { value: [], nextCursor: null };
    const page = await this.views.listJobDevices(id, { ...filter, limit: parseLimit(query.limit), cursor: query.cursor || undefined });
    if (page) return page;
    if (await this.accepted.find(id)) return { value: [], nextCursor: null };
    throw new NotFoundProblem('Job', id);
  }

  @Get(':id/devices.csv')
  csv(@Param('id', IdPipe) id: string, @Query() query: ListJobDevicesQuery, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    return this.export(id, 'csv', filterOf(query), response);
  }

  @Get(':id/devices.ndjson')
  ndjson(@Param('id', IdPipe) id: string, @Query() query: ListJobDevicesQuery, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    return this.export(id, 'ndjson', filterOf(query), response);
  }

  /** Every device of the job that passes the filter, read page by page and streamed with backpressure. */
  private async export(id: string, format: ExportFormat, filter: DeviceFilter, response: Response): Promise<StreamableFile> {
    const visible = filter.at === undefined ? await this.views.jobIsVisible(id) : await this.existedAt(id, filter.at);
    if (!visible && filter.at === undefined && !(await this.accepted.find(id))) throw new NotFoundProblem('Job', id);
    const pages = visible ? this.views.jobDevicePages(id, filter) : (async function* () {})();
    const { contentType, extension } = EXPORT_FORMATS[format];
    response.set('Cache-Control', 'no-store');
    return new StreamableFile(Readable.from(encodeExport(format, pages)), {
      type: contentType,
      disposition: `attachment; filename="${id}-devices.${extension}"`,
    });
  }
}
