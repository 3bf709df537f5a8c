import { Inject, Injectable } from '@nestjs/common';
import { ConflictProblem, ProblemException } from '@fleetjobs/http-kit';
import { decide, JobDefinition, sameDefinition } from '../job.decider';
import { JobIdTakenByAnotherDefinition } from '../job.errors';
import { JobDefinitionChecker } from '../job-definition-checker.port';
import { JobStreamExecutor } from '../job-stream.executor';
import { JOB_DEFINITION_CHECKER } from '../job.tokens';
import { JobRepresentation, representJob } from '../job.representation';

export interface CreateJobResult {
  created: boolean;
  job: JobRepresentation;
}

/**
 * Creates and runs a job. A repeated request with the same definition answers the existing job
 * without checking its set again (it may have changed since); another definition is a conflict.
 */
@Injectable()
export class CreateJobHandler {
  constructor(
    private readonly executor: JobStreamExecutor,
    @Inject(JOB_DEFINITION_CHECKER) private readonly checker: JobDefinitionChecker,
  ) {}

  async handle(jobId: string, definition: JobDefinition, correlationId: string): Promise<CreateJobResult> {
    const existing = await this.executor.load(jobId);
    if (existing.status !== 'none') {
      if (!sameDefinition(existing.definition, definition)) throw conflict(jobId);
      return { created: false, job: representJob(existing) };
    }
    const batches = definition.rollout?.batches;
    const verdict = await this.checker.check({
      deviceSet: definition.deviceSet,
      devices: definition.devices,
      operations: definition.operations,
      // An explicit device list was measured at the edge; a whole set only its owner can count.
      ...(batches && 'size' in batches && !definition.devices ? { batchSize: batches.size } : {}),
    });
    if (!verdict.ok) throw new ProblemException(verdict.status, 'Job refused', verdict.detail, verdict.errors);
    try {
      const decision = await this.executor.execute(
        jobId,
        (state) =>
          decide({ type: 'CreateJob', jobId, definition, template: verdict.template, now: new Date().toISOString() }, state),
        { correlationId },
      );
      if (decision.state.status === 'none') throw new Error('job missing after creation');
      return { created: decision.events.length > 0, job: representJob(decision.state) };
    } catch (error) {
      if (error instanceof JobIdTakenByAnotherDefinition) throw conflict(jobId);
      throw error;
    }
  }
}

function conflict(jobId: string): ConflictProblem {
  return new ConflictProblem(`Job "${jobId}" already exists with another definition.`, [
    { field: 'id', message: 'is already used by a job with another definition' },
  ]);
}
