import { randomUUID } from 'node:crypto';
import { Body, Controller, Param, Post, Put, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Actor } from '@fleetjobs/contracts';
import { IdPipe, RequestActor } from '@fleetjobs/http-kit';
import { JobRepresentation } from '../job.representation';
import { CreateScheduleHandler } from '../schedule/create-schedule.handler';
import { CreateJobHandler } from './create-job.handler';
import { CreateJobRequestDto } from './create-job.request.dto';
import { checkJobBody, jobDefinitionOf } from './job-body';

@Controller('api/jobs')
export class CreateJobHttpController {
  constructor(
    private readonly handler: CreateJobHandler,
    private readonly schedules: CreateScheduleHandler,
  ) {}

  /** Creates and runs a job under the caller's id; repeating the same request is harmless. */
  @Put(':id')
  async put(
    @Param('id', IdPipe) id: string,
    @Body() body: CreateJobRequestDto,
    @Res({ passthrough: true }) response: Response,
    @RequestActor() actor: Actor | undefined,
  ): Promise<JobRepresentation> {
    return this.create(id, body, response, actor);
  }

  /** Creates and runs a job under an id the server chooses. */
  @Post()
  async post(
    @Body() body: CreateJobRequestDto,
    @Res({ passthrough: true }) response: Response,
    @RequestActor() actor: Actor | undefined,
  ): Promise<JobRepresentation> {
    return this.create(randomUUID(), body, response, actor);
  }

  private async create(id: string, body: CreateJobRequestDto, response: Response, actor: Actor | undefined): Promise<JobRepresentation> {
    // Whether its start lies ahead matters only for a new job: the handler checks it once it found none.
    checkJobBody(body, null);
    const request = { correlationId: randomUUID(), actor, approvalRequested: body.approval?.required === true, onConflict: body.onConflict ?? 'refuse' } as const;
    const recurrence = body.schedule?.recurrence;
    if (recurrence) {
      // A recurring schedule under this id; the answer is its run 1.
      const result = await this.schedules.handle(id, jobDefinitionOf(body), recurrence, request);
      response.status(result.created ? 201 : 200).location(`/api/schedules/${encodeURIComponent(id)}`);
      return result.job;
    }
    const result = await this.handler.handle(id, jobDefinitionOf(body), request);
    response.status(result.created ? 201 : 200).location(`/api/jobs/${encodeURIComponent(id)}`);
    return result.job;
  }
}
