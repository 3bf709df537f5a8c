import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { checkJobBody, jobDefinitionOf } from '../create-job/job-body';
import { JobPreview, PreviewJobHandler } from './preview-job.handler';
import { PreviewJobRequestDto } from './preview-job.request.dto';

@Controller('api/jobs')
export class PreviewJobHttpController {
  constructor(private readonly handler: PreviewJobHandler) {}

  /** What the job would target, how long it would take and what it overlaps; creates nothing. */
  @Post('preview')
  @HttpCode(200)
  preview(@Body() body: PreviewJobRequestDto): Promise<JobPreview> {
    checkJobBody(body);
    return this.handler.preview(body.id ?? null, jobDefinitionOf(body), body.onConflict ?? 'refuse');
  }
}
