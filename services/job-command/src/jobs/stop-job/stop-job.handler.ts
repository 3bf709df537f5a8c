import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '@fleetjobs/contracts';
import { ConflictProblem, NotFoundProblem } from '@fleetjobs/http-kit';
import { JobControlStore } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { JOB_COMMAND_SCHEMA } from '../../job-command.schema';
import { decide } from '../job.decider';
import { JobAlreadyEnded, JobNotFound } from '../job.errors';
import { JobStreamExecutor } from '../job-stream.executor';
import { JobRepresentation, representJob } from '../job.representation';
import { untilPermitsRunOut } from '../permits-run-out';

/**
 * Stops a job for good, as one decision: `JobStopped` and the halt commit in one transaction, so
 * once it commits the job ends stopped whatever fails later, and no dispatcher can get another
 * permit to send. The answer waits until the permits granted before the halt have run out: from
 * then on no mutating request of the job can reach the hub. Needs only job-command's database.
 */
@Injectable()
export class StopJobHandler {
  private readonly control = new JobControlStore(JOB_COMMAND_SCHEMA);

  constructor(
    private readonly executor: JobStreamExecutor,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
  ) {}

  /** `actor`: who sent the command, recorded on its event; absent when nobody did. */
  async handle(jobId: string, actor?: Actor): Promise<JobRepresentation> {
    try {
      const decision = await this.executor.execute(
        jobId,
        (state) => decide({ type: 'StopJob', jobId, now: new Date().toISOString() }, state),
        { actor },
        // A repeated stop halts again: harmless, and it covers a job stopped before halts were kept here.
        (tx) => this.control.halt(tx, jobId, 'stopped by a user'),
      );
      if (decision.state.status === 'none') throw new JobNotFound(jobId);
      await untilPermitsRunOut(this.control, this.dataSource, jobId);
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
