import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '@fleetjobs/contracts';
import { ConflictProblem, ProblemException, TooManyRequestsProblem } from '@fleetjobs/http-kit';
import { decide, JobDefinition, sameDefinition } from '../job.decider';
import { JobIdTakenByAnotherDefinition, TooManyActiveJobs } from '../job.errors';
import { JobDefinitionChecker } from '../job-definition-checker.port';
import { JobStreamExecutor } from '../job-stream.executor';
import { JOB_DEFINITION_CHECKER } from '../job.tokens';
import { JobRepresentation, representJob } from '../job.representation';
import { APPROVAL_POLICY, ApprovalPolicy, approvalRequirement } from './approval.policy';

/** Who asks for the job and whether they asked for it to be approved by a second person. */
export interface CreateJobRequest {
  correlationId: string;
  actor?: Actor;
  approvalRequested: boolean;
  /** The job this one reruns. */
  rerunOf?: string;
}

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
    @Inject(APPROVAL_POLICY) private readonly approvalPolicy: ApprovalPolicy,
  ) {}

  async handle(jobId: string, definition: JobDefinition, request: CreateJobRequest): Promise<CreateJobResult> {
    const { correlationId, actor } = request;
    const existing = await this.executor.load(jobId);
    if (existing.status !== 'none') {
      if (!sameDefinition(existing.definition, definition)) throw conflict(jobId);
      return { created: false, job: representJob(existing) };
    }
    const batches = definition.rollout?.batches;
    const threshold = this.approvalPolicy.deviceThreshold;
    const verdict = await this.checker.check({
      deviceSet: definition.deviceSet,
      devices: definition.devices,
      operations: definition.operations,
      // An explicit device list was measured at the edge; a whole set only its owner can count.
      ...(batches && 'size' in batches && !definition.devices ? { batchSize: batches.size } : {}),
      // A set-wide job is counted only as far as the approval threshold needs.
      ...(threshold !== null && !definition.devices ? { countMembersUpTo: threshold + 1 } : {}),
    });
    if (!verdict.ok) throw new ProblemException(verdict.status, 'Job refused', verdict.detail, verdict.errors);
    const approval = approvalRequirement(
      {
        requested: request.approvalRequested,
        operations: definition.operations,
        deviceCount: threshold === null ? null : (definition.devices?.length ?? verdict.memberCount ?? null),
      },
      this.approvalPolicy,
    );
    try {
      const decision = await this.executor.execute(
        jobId,
        (state) =>
          decide(
            {
              type: 'CreateJob',
              jobId,
              definition,
              template: verdict.template,
              now: new Date().toISOString(),
              ...(approval ? { approval } : {}),
              ...(actor ? { createdBy: { id: actor.id, name: actor.name } } : {}),
              ...(request.rerunOf ? { rerunOf: request.rerunOf } : {}),
            },
            state,
          ),
        { correlationId, actor },
      );
      if (decision.state.status === 'none') throw new Error('job missing after creation');
      return { created: decision.events.length > 0, job: representJob(decision.state) };
    } catch (error) {
      if (error instanceof JobIdTakenByAnotherDefinition) throw conflict(jobId);
      if (error instanceof TooManyActiveJobs) throw new TooManyRequestsProblem(`${error.message}.`, [], ACTIVE_JOBS_RETRY_AFTER_SECONDS);
      throw error;
    }
  }
}

/** Jobs take seconds to minutes: a client refused for the active-jobs limit tries again after this. */
const ACTIVE_JOBS_RETRY_AFTER_SECONDS = 30;

/** The same id with another definition: 409 naming `id`. */
export function conflict(jobId: string): ConflictProblem {
  return new ConflictProblem(`Job "${jobId}" already exists with another definition.`, [
    { field: 'id', message: 'is already used by a job with another definition' },
  ]);
}
