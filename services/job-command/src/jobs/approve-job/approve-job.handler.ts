import { Injectable } from '@nestjs/common';
import type { Actor } from '@fleetjobs/contracts';
import { ConflictProblem, NotFoundProblem, ProblemException } from '@fleetjobs/http-kit';
import { decide } from '../job.decider';
import { JobAlreadyEnded, JobNotFound, SelfApproval } from '../job.errors';
import { JobStreamExecutor } from '../job-stream.executor';
import { JobRepresentation, representJob } from '../job.representation';

/**
 * Approves a job that waits for a second person (the two-person rule): `JobApproved` lets
 * device-set target it. The approver must be known and must not be the job's creator.
 */
@Injectable()
export class ApproveJobHandler {
  constructor(private readonly executor: JobStreamExecutor) {}

  async handle(jobId: string, actor: Actor | undefined): Promise<JobRepresentation> {
    if (!actor) {
      throw new ProblemException(403, 'Forbidden', 'Approving a job needs to know who approves it.', [
        { field: 'actor', message: 'the approver is not known' },
      ]);
    }
    try {
      const approver = { id: actor.id, name: actor.name };
      const decision = await this.executor.execute(
        jobId,
        (state) => decide({ type: 'ApproveJob', jobId, approver, now: new Date().toISOString() }, state),
        { actor },
      );
      if (decision.state.status === 'none') throw new JobNotFound(jobId);
      return representJob(decision.state);
    } catch (error) {
      if (error instanceof JobNotFound) throw new NotFoundProblem('Job', jobId);
      if (error instanceof SelfApproval) {
        throw new ProblemException(403, 'Forbidden', `Job "${jobId}" needs approval by someone other than its creator.`, [
          { field: 'actor', message: 'created the job and cannot also approve it' },
        ]);
      }
      if (error instanceof JobAlreadyEnded) {
        throw new ConflictProblem(`Job "${jobId}" already ended (${error.status}) before it was approved; it can no longer be approved.`);
      }
      throw error;
    }
  }
}
