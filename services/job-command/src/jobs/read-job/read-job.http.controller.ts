import { Controller, Get, Param } from '@nestjs/common';
import { IdPipe, NotFoundProblem } from '@fleetjobs/http-kit';
import { JobStreamExecutor } from '../job-stream.executor';
import { JobRepresentation, representJob } from '../job.representation';

/**
 * Internal: the job as its owner knows it, at once. The read model answers users; this lets it
 * answer for a job it has not caught up with yet, so a GET right after a PUT never says 404.
 */
@Controller('internal/jobs')
export class ReadJobHttpController {
  constructor(private readonly executor: JobStreamExecutor) {}

  @Get(':id')
  async get(@Param('id', IdPipe) id: string): Promise<JobRepresentation> {
    const state = await this.executor.load(id);
    if (state.status === 'none') throw new NotFoundProblem('Job', id);
    return representJob(state);
  }
}
