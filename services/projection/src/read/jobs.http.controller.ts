import { Controller, Get, Param, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { IdPipe, NotFoundProblem, Page, parseLimit } from '@fleetjobs/http-kit';
import type { Request, Response } from 'express';
import { Readable } from 'node:stream';
import { AcceptedJobsSource } from './accepted-jobs.source';
import { encodeExport, EXPORT_FORMATS, ExportFormat } from './job-devices.export';
import { JobDeviceView, JobView } from './job.view';
import { DeviceFilter, JobViewsQuery } from './job-views.query';
import { ListJobDevicesQuery } from './list-job-devices.request.dto';
import { ListJobsQuery } from './list-jobs.request.dto';

const filterOf = (query: ListJobDevicesQuery): DeviceFilter => ({
  status: query.status || undefined,
  search: query.search || undefined,
});

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
  ) {}

  @Get()
  list(@Query() query: ListJobsQuery): Promise<Page<JobView>> {
    return this.views.listJobs({
      status: query.status || undefined,
      limit: parseLimit(query.limit),
      cursor: query.cursor || undefined,
    });
  }

  @Get(':id')
  async get(@Param('id', IdPipe) id: string): Promise<JobView> {
    const job = (await this.views.getJob(id)) ?? (await this.accepted.find(id));
    if (!job) throw new NotFoundProblem('Job', id);
    return job;
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
    if (format) return this.export(id, format, filterOf(query), response);
    const page = await this.views.listJobDevices(id, { ...filterOf(query), limit: parseLimit(query.limit), cursor: query.cursor || undefined });
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
    const visible = await this.views.jobIsVisible(id);
    if (!visible && !(await this.accepted.find(id))) throw new NotFoundProblem('Job', id);
    const pages = visible ? this.views.jobDevicePages(id, filter) : (async function* () {})();
    const { contentType, extension } = EXPORT_FORMATS[format];
    response.set('Cache-Control', 'no-store');
    return new StreamableFile(Readable.from(encodeExport(format, pages)), {
      type: contentType,
      disposition: `attachment; filename="${id}-devices.${extension}"`,
    });
  }
}
