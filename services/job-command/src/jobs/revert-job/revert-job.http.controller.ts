import { randomUUID } from 'node:crypto';
import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Actor } from '@fleetjobs/contracts';
import { IdPipe, RequestActor } from '@fleetjobs/http-kit';
import { JobRepresentation } from '../job.representation';
import { RevertJobHandler } from './revert-job.handler';
import { RevertJobRequestDto } from './revert-job.request.dto';

@Controller('api/jobs')
export class RevertJobHttpController {
  constructor(private readonly handler: RevertJobHandler) {}

  /** Creates the job that puts back what the original's properties and settings replaced, device by device. */
  @Post(':id/revert')
  async revert(
    @Param('id', IdPipe) id: string,
    @Body() body: RevertJobRequestDto,
    @Res({ passthrough: true }) response: Response,
    @RequestActor() actor: Actor | undefined,
  ): Promise<JobRepresentation> {
    const newId = body?.id ?? randomUUID();
    const result = await this.handler.handle(id, newId, { correlationId: randomUUID(), actor });
    response.status(result.created ? 201 : 200).location(`/api/jobs/${encodeURIComponent(newId)}`);
    return result.job;
  }
}
