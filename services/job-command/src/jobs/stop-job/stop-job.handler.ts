import { Inject, Injectable } from '@nestjs/common';
import { ConflictProblem, NotFoundProblem } from '@fleetjobs/http-kit';
import { decide } from '../job.decider';
import { JobAlreadyEnded, JobNotFound } from '../job.errors';
import { DispatchControl } from '../dispatch-control.port';
import { JobStreamExecutor } from '../job-stream.executor';
import { DISPATCH_CONTROL } from '../job.tokens';
import { JobRepresentation, representJob } from '../job.representation';

/**
 * Stops a job for good. The dispatchers are halted first, so that when the answer is given no
 * operation of the job can start on any dispatcher; only then is `JobStopped` recorded.
 */
@Injectable()
export class StopJobHandler {
  constructor(
    private readonly executor: JobStreamExecutor,
    @Inject(DISPATCH_CONTROL) private readonly dispatch: DispatchControl,
  ) {}

  async handle(jobId: string): Promise<JobRepresentation> {
    try {
      const now = () => new Date().toISOString();
      const current = await this.executor.load(jobId);
      const wouldStop = decide({ type: 'StopJob', jobId, now: now() }, current);
      if (wouldStop.length > 0) await this.dispatch.halt(jobId);
      const decision = await this.executor.execute(jobId, (state) => decide({ type: 'StopJob', jobId, now: now() }, state));
      if (decision.state.status === 'none') throw new JobNotFound(jobId);
      return representJob(decision.state);
    } catch (error) {
      if (error instanceof JobNotFound) throw new NotFoundProblem('Job', jobId);
      if (error instanceof JobAlreadyEnded) {
        throw new ConflictProblem(`Job "${jobId}" already ended (${error.status}); only a pending or running job can be stopped.`);
      }
      throw error;
    }
  }
}
