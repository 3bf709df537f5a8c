import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import type { Actor } from '@fleetjobs/contracts';
import { IdPipe, RequestActor } from '@fleetjobs/http-kit';
import { JobRepresentation } from '../job.representation';
import { PauseJobHandler } from './pause-job.handler';

@Controller('api/jobs')
export class PauseJobHttpController {
  constructor(private readonly handler: PauseJobHandler) {}

  /** Answers once no further device operation of the job can start until it is resumed. */
  @Post(':id/pause')
  @HttpCode(200)
  pause(@Param('id', IdPipe) id: string, @RequestActor() actor: Actor | undefined): Promise<JobRepresentation> {
    return this.handler.handle(id, actor);
  }
}
