import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '@fleetjobs/contracts';
import { ConflictProblem, NotFoundProblem } from '@fleetjobs/http-kit';
import { CreateJobHandler, CreateJobResult } from '../create-job/create-job.handler';
import { JobState } from '../job.decider';
import { JobNotFound, JobStillActive } from '../job.errors';
import { JobStreamExecutor } from '../job-stream.executor';
import { pastRetention } from '../job-retention.policy';
import { JOB_RETENTION_DAYS } from '../job.tokens';
import { NothingToRevert, revertDefinition, revertible } from './revert-job.policy';

/**
 * Reverts an ended job: a new job, linked to it by `revertOf`, that puts back on each device the
 * values the original's properties and settings replaced there, created under the normal rules
 * (definition check, approval, active-jobs limit).
 */
@Injectable()
export class RevertJobHandler {
  constructor(
    private readonly executor: JobStreamExecutor,
    private readonly create: CreateJobHandler,
    @Inject(JOB_RETENTION_DAYS) private readonly retentionDays: number,
  ) {}

  async handle(originalId: string, newId: string, request: { correlationId: string; actor?: Actor }): Promise<CreateJobResult> {
    const original = await this.original(originalId);
    return this.create.handle(newId, revertDefinition(originalId, original.definition), { ...request, approvalRequested: false });
  }

  private async original(jobId: string): Promise<Exclude<JobState, { status: 'none' }>> {
    try {
      const state = await this.executor.load(jobId);
      if (pastRetention(state, new Date(), this.retentionDays)) throw new JobNotFound(jobId);
      return revertible(jobId, state);
    } catch (error) {
      if (error instanceof JobNotFound) throw new NotFoundProblem('Job', jobId);
      if (error instanceof JobStillActive) throw new ConflictProblem(`Job "${jobId}" is still ${error.status}; only a job that ended can be reverted.`);
      if (error instanceof NothingToRevert) throw new ConflictProblem(`Job "${jobId}" writes no property or setting; only those can be reverted.`);
      throw error;
    }
  }
}
