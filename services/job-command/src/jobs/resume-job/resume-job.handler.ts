import { Injectable } from '@nestjs/common';
import type { Actor } from '@fleetjobs/contracts';
import { ConflictProblem, NotFoundProblem } from '@fleetjobs/http-kit';
import { JobControlStore } from '@fleetjobs/persistence-pg';
import { JOB_COMMAND_SCHEMA } from '../../job-command.schema';
import { decide } from '../job.decider';
import { JobAlreadyEnded, JobNotFound, JobNotPaused } from '../job.errors';
import { JobStreamExecutor } from '../job-stream.executor';
import { JobRepresentation, representJob } from '../job.representation';

/**
 * Resumes a paused job: `JobResumed` and the end of the pause in job_control commit in one
 * transaction, so permits to send are granted again from then on (unless the job was stopped).
 */
@Injectable()
export class ResumeJobHandler {
  private readonly control = new JobControlStore(JOB_COMMAND_SCHEMA);

  constructor(private readonly executor: JobStreamExecutor) {}

  /** `actor`: who sent the command, recorded on its event; absent when nobody did. */
  async handle(jobId: string, actor?: Actor): Promise<JobRepresentation> {
    try {
      const decision = await this.executor.execute(
        jobId,
        (state) => decide({ type: 'ResumeJob', jobId, now: new Date().toISOString() }, state),
        { actor },
        (tx) => this.control.resume(tx, jobId),
      );
      if (decision.state.status === 'none') throw new JobNotFound(jobId);
      return representJob(decision.state);
    } catch (error) {
      if (error instanceof JobNotFound) throw new NotFoundProblem('Job', jobId);
      if (error instanceof JobAlreadyEnded) {
        throw new ConflictProblem(`Job "${jobId}" already ended (${error.status}); only a paused job can be resumed.`);
      }
      if (error instanceof JobNotPaused) {
        throw new ConflictProblem(`Job "${jobId}" is not paused (${error.status}); only a paused job can be resumed.`);
      }
      throw error;
    }
  }
}
