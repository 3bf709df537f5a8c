import { Controller, Get, Param, Query } from '@nestjs/common';
import { IdPipe, NotFoundProblem, Page, parseLimit } from '@fleetjobs/http-kit';
import { AcceptedJobsSource } from './accepted-jobs.source';
import { JobDeviceView, JobView } from './job.view';
import { JobViewsQuery } from './job-views.query';
import { ListJobDevicesQuery } from './list-job-devices.request.dto';
import { ListJobsQuery } from './list-jobs.request.dto';

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

  @Get(':id/devices')
  async devices(@Param('id', IdPipe) id: string, @Query() query: ListJobDevicesQuery): Promise<Page<JobDeviceView>> {
    const page = await this.views.listJobDevices(id, {
      status: query.status || undefined,
      search: query.search || undefined,
      limit: parseLimit(query.limit),
      cursor: query.cursor || undefined,
    });
    if (page) return page;
    if (await this.accepted.find(id)) return { value: [], nextCursor: null };
    throw new NotFoundProblem('Job', id);
  }
}
