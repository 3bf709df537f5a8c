import { Inject, Injectable } from '@nestjs/common';
import { ProblemException } from '@fleetjobs/http-kit';
import { normalizeRollout } from '@fleetjobs/rollout';
import { conflict } from '../create-job/create-job.handler';
import { JobDefinition, sameDefinition } from '../job.decider';
import { JobDefinitionChecker } from '../job-definition-checker.port';
import { JobStreamExecutor } from '../job-stream.executor';
import { JOB_DEFINITION_CHECKER } from '../job.tokens';
import { estimateEta, JobEta } from './eta.model';
import { ConflictDecision, decideOnConflict, OnConflict } from '../create-job/job-conflict.policy';
import { JobOverlapFinder } from './job-overlap.finder';
import { JobOverlap } from './job-overlap.model';

/** What a job would do if it were created now. */
export interface JobPreview {
  targets: { total: number; byTemplate: { template: string; devices: number }[] };
  eta: JobEta;
  overlaps: JobOverlap[];
  /** What creating it now would do about the active jobs writing the same property or setting on its devices. */
  conflict: { onConflict: OnConflict; outcome: ConflictDecision['outcome']; jobs: string[] };
}

/** `HUB_RATE_LIMIT_PER_SECOND`, as the dispatchers read it: 0 (or anything else) means no limit. */
export function hubRateFromEnv(environment: Record<string, string | undefined>): number {
  const value = Number(environment.HUB_RATE_LIMIT_PER_SECOND ?? '');
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * Answers what a job would target, how long it would take and which active jobs it overlaps,
 * creating and publishing nothing. The job is checked exactly as its creation checks it (the same
 * definition check by device-set, the same problems); an id used by another definition is the
 * same 409.
 *
 * Cost: see JobOverlapFinder — about a second per few ten-thousand devices, exact to the device.
 */
@Injectable()
export class PreviewJobHandler {
  private readonly hubRatePerSecond = hubRateFromEnv(process.env);

  constructor(
    private readonly executor: JobStreamExecutor,
    @Inject(JOB_DEFINITION_CHECKER) private readonly checker: JobDefinitionChecker,
    private readonly overlaps: JobOverlapFinder,
  ) {}

  async preview(jobId: string | null, definition: JobDefinition, onConflict: OnConflict = 'refuse'): Promise<JobPreview> {
    if (jobId !== null) {
      const existing = await this.executor.load(jobId);
      if (existing.status !== 'none' && !sameDefinition(existing.definition, definition)) throw conflict(jobId);
    }
    const batches = definition.rollout?.batches;
    const verdict = await this.checker.check({
      deviceSet: definition.deviceSet,
      devices: definition.devices,
      operations: definition.operations,
      ...(batches && 'size' in batches && !definition.devices ? { batchSize: batches.size } : {}),
    });
    if (!verdict.ok) throw new ProblemException(verdict.status, 'Job refused', verdict.detail, verdict.errors);

    const { total, overlaps } = await this.overlaps.find(definition, jobId);
    const decision = decideOnConflict(onConflict, overlaps);
    return {
      targets: { total, byTemplate: total === 0 ? [] : [{ template: verdict.template, devices: total }] },
      eta: estimateEta({
        devices: total,
        operations: definition.operations,
        rollout: normalizeRollout(definition.rollout),
        hubRatePerSecond: this.hubRatePerSecond,
      }),
      overlaps,
      conflict: {
        onConflict,
        outcome: decision.outcome,
        jobs: decision.conflicts.map((conflict) => conflict.jobId),
      },
    };
  }
}
