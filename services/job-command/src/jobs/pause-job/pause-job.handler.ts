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
 * Pauses a job like a stop that can be undone: `JobPaused` and the pause in job_control commit
 * in one transaction, so no dispatcher can get another permit to send until it is resumed. The
 * answer waits until the permits granted before the pause have run out: from then on no mutating
 * request of the job reaches the hub while it stays paused. Devices already under way whose
 * requests went out finish; the others wait.
 */
@Injectable()
export class PauseJobHandler {
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
        (state) => decide({ type: 'PauseJob', jobId, now: new Date().toISOString() }, state),
        { actor },
        // A repeated pause pauses again: harmless, and its answer waits for the permits as well.
        (tx) => this.control.pause(tx, jobId),
      );
      if (decision.state.status === 'none') throw new JobNotFound(jobId);
      await untilPermitsRunOut(this.control, this.dataSource, jobId);
      return representJob(decision.state);
    } catch (error) {
      if (error instanceof JobNotFound) throw new NotFoundProblem('Job', jobId);
      if (error instanceof JobAlreadyEnded) {
        throw new ConflictProblem(`Job "${jobId}" already ended (${error.status}); only a pending or running job can be paused.`);
      }
      throw error;
    }
  }
}
