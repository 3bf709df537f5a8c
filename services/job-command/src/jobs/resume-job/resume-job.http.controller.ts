import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import type { Actor } from '@fleetjobs/contracts';
import { IdPipe, RequestActor } from '@fleetjobs/http-kit';
import { JobRepresentation } from '../job.representation';
import { ResumeJobHandler } from './resume-job.handler';

@Controller('api/jobs')
export class ResumeJobHttpController {
  constructor(private readonly handler: ResumeJobHandler) {}

  /** Answers once devices of the job may start again. */
  @Post(':id/resume')
  @HttpCode(200)
  resume(@Param('id', IdPipe) id: string, @RequestActor() actor: Actor | undefined): Promise<JobRepresentation> {
    return this.handler.handle(id, actor);
  }
}
