import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import type { Actor } from '@fleetjobs/contracts';
import { IdPipe, RequestActor } from '@fleetjobs/http-kit';
import { JobRepresentation } from '../job.representation';
import { StopJobHandler } from './stop-job.handler';

@Controller('api/jobs')
export class StopJobHttpController {
  constructor(private readonly handler: StopJobHandler) {}

  /** Answers once no further device operation of the job can start. */
  @Post(':id/stop')
  @HttpCode(200)
  stop(@Param('id', IdPipe) id: string, @RequestActor() actor: Actor | undefined): Promise<JobRepresentation> {
    return this.handler.handle(id, actor);
  }
}
