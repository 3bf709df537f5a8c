import { randomUUID } from 'node:crypto';
import { Body, Controller, Param, Post, Put, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Actor } from '@fleetjobs/contracts';
import { IdPipe, RequestActor, ValidationProblem } from '@fleetjobs/http-kit';
import { JobRepresentation } from '../job.representation';
import { CreateJobHandler } from './create-job.handler';
import { CreateJobRequestDto } from './create-job.request.dto';
import { rolloutOf } from './rollout.request.dto';

@Controller('api/jobs')
export class CreateJobHttpController {
  constructor(private readonly handler: CreateJobHandler) {}

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
    const batchSize = body.rollout?.batches?.size;
    if (body.devices && batchSize !== undefined && batchSize > body.devices.length) {
      throw new ValidationProblem([
        { field: 'rollout.batches.size', message: `must not be greater than the job's ${body.devices.length} devices` },
      ]);
    }
    const result = await this.handler.handle(
      id,
      {
        displayName: body.displayName,
        description: body.description ?? '',
        deviceSet: body.deviceSet,
        devices: body.devices ?? null,
        operations: body.operations.map(({ type, name, value }) => ({ type, name, value })),
        ...(body.rollout ? { rollout: rolloutOf(body.rollout) } : {}),
      },
      { correlationId: randomUUID(), actor, approvalRequested: body.approval?.required === true },
    );
    response.status(result.created ? 201 : 200).location(`/api/jobs/${encodeURIComponent(id)}`);
    return result.job;
  }
}
