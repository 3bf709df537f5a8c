import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Actor, JobOperation, Rollout } from '@fleetjobs/contracts';
import { IdPipe, RequestActor } from '@fleetjobs/http-kit';
import { JobRepresentation } from '../job.representation';
import { RerunJobHandler } from './rerun-job.handler';
import { RerunJobRequestDto } from './rerun-job.request.dto';

/** The body of a new job with another job's definition, to edit and send to `POST /api/jobs`. */
export interface JobDraft {
  displayName: string;
  description: string;
  deviceSet: string;
  devices?: string[];
  operations: JobOperation[];
  rollout?: Rollout;
}

@Controller('api/jobs')
export class RerunJobHttpController {
  constructor(private readonly handler: RerunJobHandler) {}

  /** Creates a job with the original's definition on its failed devices, all of them, or those listed. */
  @Post(':id/rerun')
  async rerun(
    @Param('id', IdPipe) id: string,
    @Body() body: RerunJobRequestDto,
    @Res({ passthrough: true }) response: Response,
    @RequestActor() actor: Actor | undefined,
  ): Promise<JobRepresentation> {
    const newId = body.id ?? randomUUID();
    const result = await this.handler.handle(id, newId, body.devices, { correlationId: randomUUID(), actor });
    response.status(result.created ? 201 : 200).location(`/api/jobs/${encodeURIComponent(newId)}`);
    return result.job;
  }

  /** Answers a new job's draft with the original's definition; creates nothing. */
  @Post(':id/copy')
  @HttpCode(200)
  async copy(@Param('id', IdPipe) id: string): Promise<JobDraft> {
    const { displayName, description, deviceSet, devices, operations, rollout } = await this.handler.definitionOf(id);
    return { displayName, description, deviceSet, ...(devices ? { devices } : {}), operations, ...(rollout ? { rollout } : {}) };
  }
}
