import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import type { Actor } from '@fleetjobs/contracts';
import { IdPipe, RequestActor } from '@fleetjobs/http-kit';
import { JobRepresentation } from '../job.representation';
import { ApproveJobHandler } from './approve-job.handler';

@Controller('api/jobs')
export class ApproveJobHttpController {
  constructor(private readonly handler: ApproveJobHandler) {}

  /** The second person's approval of a job that needs it; approving again, or a job that needs none, is harmless. */
  @Post(':id/approve')
  @HttpCode(200)
  approve(@Param('id', IdPipe) id: string, @RequestActor() actor: Actor | undefined): Promise<JobRepresentation> {
    return this.handler.handle(id, actor);
  }
}
