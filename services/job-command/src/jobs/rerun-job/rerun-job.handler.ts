import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '@fleetjobs/contracts';
import { ConflictProblem, NotFoundProblem, ServiceUnavailableProblem, UnprocessableProblem } from '@fleetjobs/http-kit';
import { CreateJobHandler, CreateJobResult } from '../create-job/create-job.handler';
import { JobDefinition, JobState } from '../job.decider';
import { JobNotFound, JobStillActive } from '../job.errors';
import { JobDeviceOutcomes } from '../job-device-outcomes.port';
import { JobStreamExecutor } from '../job-stream.executor';
import { JOB_DEVICE_OUTCOMES, JOB_RETENTION_DAYS } from '../job.tokens';
import { pastRetention } from '../job-retention.policy';
import { OriginalDeviceOutcomes, rerunnable, RerunDevices, selectRerunDevices } from './rerun-devices.policy';
import { MAX_EXPLICIT_DEVICES } from '@fleetjobs/contracts';

/**
 * Reruns an ended job: a new job with the original's definition on the devices asked for, linked
 * to the original, created under the normal rules (definition check, approval, active-jobs limit).
 */
@Injectable()
export class RerunJobHandler {
  constructor(
    private readonly executor: JobStreamExecutor,
    private readonly create: CreateJobHandler,
    @Inject(JOB_DEVICE_OUTCOMES) private readonly outcomes: JobDeviceOutcomes,
    @Inject(JOB_RETENTION_DAYS) private readonly retentionDays: number,
  ) {}

  async handle(originalId: string, newId: string, asked: RerunDevices, request: { correlationId: string; actor?: Actor }): Promise<CreateJobResult> {
    const original = await this.original(originalId);
    const selection = selectRerunDevices(original, asked, await this.known(originalId, original, asked));
    if (selection.ok === 'later') throw new ServiceUnavailableProblem(selection.detail);
    if (!selection.ok) throw new UnprocessableProblem(selection.errors, `Job "${originalId}" cannot be rerun on these devices.`);
    // A rerun runs now: the original's start has passed, while its maintenance windows still hold.
    const { schedule, ...asOriginal } = original.definition;
    const definition: JobDefinition = { ...asOriginal, devices: selection.devices, ...(schedule?.windows ? { schedule: { windows: schedule.windows } } : {}) };
    return this.create.handle(newId, withBatchesWithin(definition), { ...request, approvalRequested: false, rerunOf: originalId });
  }

  /** The original job's definition, to copy; 404 when it does not exist. */
  async definitionOf(jobId: string): Promise<JobDefinition> {
    const state = await this.executor.load(jobId);
    if (state.status === 'none') throw new NotFoundProblem('Job', jobId);
    return state.definition;
  }

  private async original(jobId: string): Promise<Exclude<JobState, { status: 'none' }>> {
    try {
      const state = await this.executor.load(jobId);
      if (pastRetention(state, new Date(), this.retentionDays)) throw new JobNotFound(jobId);
      return rerunnable(jobId, state);
    } catch (error) {
      if (error instanceof JobNotFound) throw new NotFoundProblem('Job', jobId);
      if (error instanceof JobStillActive) throw new ConflictProblem(`Job "${jobId}" is still ${error.status}; only a job that ended can be rerun.`);
      throw error;
    }
  }

  /** Reads from the read model only what the request needs, and no more than a job may name. */
  private async known(jobId: string, original: Exclude<JobState, { status: 'none' }>, asked: RerunDevices): Promise<OriginalDeviceOutcomes> {
    if (asked === 'failed') {
      const failed: string[] = [];
      for await (const page of this.outcomes.deviceIds(jobId, 'failed')) {
        failed.push(...page);
        if (failed.length > MAX_EXPLICIT_DEVICES) break;
      }
      return { failed };
    }
    if (asked === 'all' || original.definition.devices) return {};
    const outside = new Set(asked);
    for await (const page of this.outcomes.deviceIds(jobId)) {
      for (const id of page) outside.delete(id);
      if (outside.size === 0) break;
    }
    return { outside: [...outside] };
  }
}

/** A rerun on fewer devices than the original's batch size runs them in one batch. */
function withBatchesWithin(definition: JobDefinition): JobDefinition {
  const batches = definition.rollout?.batches;
  const count = definition.devices?.length;
  if (!definition.rollout || !batches || !('size' in batches) || count === undefined || batches.size <= count) return definition;
  return { ...definition, rollout: { ...definition.rollout, batches: { size: count } } };
}
