import { Inject, Injectable } from '@nestjs/common';
import type { Actor, JobApprovalRequirement } from '@fleetjobs/contracts';
import { ConflictProblem, ProblemException, TooManyRequestsProblem, ValidationProblem } from '@fleetjobs/http-kit';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { decide, JobDefinition, sameDefinition } from '../job.decider';
import { JobConflictsWithActiveJobs, JobIdTakenByAnotherDefinition, TooManyActiveJobs } from '../job.errors';
import { JobQueuePoller } from '../job-queue/job-queue.poller';
import { jobQueueStore } from '../job-queue/job-queue.store';
import { JobOverlapFinder } from '../preview/job-overlap.finder';
import { JobDefinitionChecker } from '../job-definition-checker.port';
import { JobStreamExecutor } from '../job-stream.executor';
import { JOB_DEFINITION_CHECKER } from '../job.tokens';
import { JobRepresentation, representJob } from '../job.representation';
import { APPROVAL_POLICY, ApprovalPolicy, approvalRequirement } from './approval.policy';
import { ConflictDecision, decideOnConflict, mayConflict, OnConflict, queueBehind } from './job-conflict.policy';
import { schedulesStore } from '../schedule/schedules.store';
import { startAtErrors } from './schedule.request.dto';

/** Who asks for the job and whether they asked for it to be approved by a second person. */
export interface CreateJobRequest {
  correlationId: string;
  actor?: Actor;
  approvalRequested: boolean;
  /** The job this one reruns. */
  rerunOf?: string;
  /** What to do about active jobs writing the same property or setting on its devices; absent: `refuse`. */
  onConflict?: OnConflict;
}

/** What a job passed its checks with. */
export interface Admission {
  template: string;
  approval?: JobApprovalRequirement;
  /** The active jobs it is queued behind (`onConflict: queue`); empty otherwise. */
  waitingFor: string[];
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
    private readonly overlaps: JobOverlapFinder,
    private readonly queue: JobQueuePoller,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
  ) {}

  async handle(jobId: string, definition: JobDefinition, request: CreateJobRequest): Promise<CreateJobResult> {
    const { correlationId, actor } = request;
    const existing = await this.executor.load(jobId);
    if (existing.status !== 'none') {
      if (!sameDefinition(existing.definition, definition)) throw conflict(jobId);
      return { created: false, job: representJob(existing) };
    }
    // A schedule's id, and its runs' ids, are the schedule's (also for a rerun or a revert naming its id).
    if (await schedulesStore.claims(this.dataSource, jobId)) throw conflict(jobId);
    const late = startAtErrors(definition.schedule?.startAt, new Date());
    if (late.length > 0) throw new ValidationProblem(late);
    try {
      const { template, approval, waitingFor } = await this.admit(jobId, definition, request);
      const decision = await this.executor.execute(
        jobId,
        (state) =>
          decide(
            {
              type: 'CreateJob',
              jobId,
              definition,
              template,
              now: new Date().toISOString(),
              ...(approval ? { approval } : {}),
              ...(actor ? { createdBy: { id: actor.id, name: actor.name } } : {}),
              ...(request.rerunOf ? { rerunOf: request.rerunOf } : {}),
              ...(waitingFor.length > 0 ? { waitingFor } : {}),
            },
            state,
          ),
        { correlationId, actor },
        async (tx, { events }) => {
          if (events.length > 0) await jobQueueStore.add(tx, jobId, waitingFor);
        },
      );
      if (decision.state.status === 'none') throw new Error('job missing after creation');
      // The jobs it waits for may have ended since the check: then it starts at once.
      if (waitingFor.length > 0 && decision.events.length > 0) await this.queue.releaseDue();
      return { created: decision.events.length > 0, job: representJob(decision.state) };
    } catch (error) {
      throw creationProblem(error, jobId);
    }
  }

  /**
   * What a new job must pass before it is created, and what it is created with: its definition
   * checked against its set's template, the approval it needs, the active jobs it queues behind.
   * Refusals throw (creationProblem maps them).
   */
  async admit(jobId: string, definition: JobDefinition, request: CreateJobRequest): Promise<Admission> {
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
    const conflicts = await this.conflicts(jobId, definition, request.onConflict ?? 'refuse');
    return { template: verdict.template, ...(approval ? { approval } : {}), waitingFor: conflicts.outcome === 'queue' ? conflicts.waitingFor : [] };
  }

  /**
   * The job's conflicts with active jobs as the read model knows them now; a job that writes no
   * property or setting, or that allows conflicts, is not looked at. Refused: JobConflictsWithActiveJobs.
   */
  private async conflicts(jobId: string, definition: JobDefinition, onConflict: OnConflict): Promise<ConflictDecision> {
    if (onConflict === 'allow' || !mayConflict(definition.operations)) return { outcome: 'create', conflicts: [] };
    const { overlaps } = await this.overlaps.find(definition, jobId);
    // A job that ended here may still look active in the read model for a moment: it conflicts with nothing.
    const active = await this.queue.activeAmong(overlaps.map((overlap) => overlap.jobId));
    const decision = decideOnConflict(onConflict, overlaps.filter((overlap) => active.has(overlap.jobId)));
    if (decision.outcome === 'refuse') throw new JobConflictsWithActiveJobs(jobId, decision.conflicts);
    if (decision.outcome === 'create') return decision;
    const peers = (await this.queue.queuedBehind(decision.waitingFor)).filter((peer) => peer.jobId !== jobId);
    return { ...decision, waitingFor: queueBehind(decision.waitingFor, definition.operations, peers) };
  }
}

/** The problem a refused creation answers; other errors as they are. */
export function creationProblem(error: unknown, jobId: string): unknown {
  if (error instanceof JobIdTakenByAnotherDefinition) return conflict(jobId);
  if (error instanceof JobConflictsWithActiveJobs) return writeConflict(error);
  if (error instanceof TooManyActiveJobs) return new TooManyRequestsProblem(`${error.message}.`, [], ACTIVE_JOBS_RETRY_AFTER_SECONDS);
  return error;
}

/** Jobs take seconds to minutes: a client refused for the active-jobs limit tries again after this. */
const ACTIVE_JOBS_RETRY_AFTER_SECONDS = 30;

/** 409 naming each active job that writes the same on the same devices, and how many devices both hold. */
function writeConflict(error: JobConflictsWithActiveJobs): ConflictProblem {
  const conflicts = error.conflicts.map(({ jobId, displayName, status, sharedDevices, sameWrites }) => ({ jobId, displayName, status, sharedDevices, sameWrites }));
  return new ConflictProblem(`${error.message[0].toUpperCase()}${error.message.slice(1)}.`, [{ field: 'onConflict', message: 'is refuse, and active jobs write the same on the same devices' }], { conflicts });
}

/** The same id with another definition: 409 naming `id`. */
export function conflict(jobId: string): ConflictProblem {
  return new ConflictProblem(`Job "${jobId}" already exists with another definition.`, [
    { field: 'id', message: 'is already used by a job with another definition' },
  ]);
}
