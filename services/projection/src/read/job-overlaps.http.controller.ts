import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ArrayMaxSize, IsArray, IsOptional } from 'class-validator';
import { IsId, MAX_PAGE_SIZE } from '@fleetjobs/http-kit';
import { JobOverlapRow, JobOverlapsQuery } from './job-overlaps.query';

/** Body of `POST /internal/job-overlaps`: one page of a job's device ids. */
export class JobOverlapsRequestDto {
  @IsArray()
  @ArrayMaxSize(MAX_PAGE_SIZE)
  @IsId({ each: true })
  deviceIds: string[];

  /** The previewed job's own id, when it has one: it does not overlap with itself. */
  @IsOptional()
  @IsId()
  excludeJobId?: string;
}

/**
 * Internal: the active jobs (pending, running, paused) that hold some of up to 1000 devices, with
 * how many of them each holds, for job-command's preview of a job.
 */
@Controller('internal/job-overlaps')
export class JobOverlapsHttpController {
  constructor(private readonly query: JobOverlapsQuery) {}

  @Post()
  @HttpCode(200)
  async overlaps(@Body() body: JobOverlapsRequestDto): Promise<{ value: JobOverlapRow[] }> {
    return { value: await this.query.among(body.deviceIds, body.excludeJobId ?? null) };
  }
}
