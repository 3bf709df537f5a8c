import { Inject, Injectable } from '@nestjs/common';
import { ProblemException } from '@fleetjobs/http-kit';
import { normalizeRollout } from '@fleetjobs/rollout';
import { conflict } from '../create-job/create-job.handler';
import { JobDefinition, sameDefinition } from '../job.decider';
import { JobDefinitionChecker } from '../job-definition-checker.port';
import { JobStreamExecutor } from '../job-stream.executor';
import { JOB_DEFINITION_CHECKER } from '../job.tokens';
import { estimateEta, JobEta } from './eta.model';
import { addOverlapPage, describeOverlaps, JobOverlap, OverlapCount } from './job-overlap.model';
import { JOB_PREVIEW_SOURCES, JobPreviewSources, OVERLAP_PAGE_SIZE } from './job-preview-sources.port';

/** What a job would do if it were created now. */
export interface JobPreview {
  targets: { total: number; byTemplate: { template: string; devices: number }[] };
  eta: JobEta;
  overlaps: JobOverlap[];
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
 * Cost: the job's targets are walked once, in pages of at most 1000 ids (device-set's keyset
 * page for a set-wide job, the job's own list otherwise), and the projection is asked, per page,
 * which active jobs hold those ids (one index probe per id). A job of N devices costs
 * 2·⌈N/1000⌉ internal calls and holds one page and one count per overlapping job in memory,
 * never the fleet: about a second per few ten-thousand devices, exact to the device.
 */
@Injectable()
export class PreviewJobHandler {
  private readonly hubRatePerSecond = hubRateFromEnv(process.env);

  constructor(
    private readonly executor: JobStreamExecutor,
    @Inject(JOB_DEFINITION_CHECKER) private readonly checker: JobDefinitionChecker,
    @Inject(JOB_PREVIEW_SOURCES) private readonly sources: JobPreviewSources,
  ) {}

  async preview(jobId: string | null, definition: JobDefinition): Promise<JobPreview> {
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

    let total = 0;
    let counts = new Map<string, OverlapCount>();
    for await (const page of this.targetPages(definition)) {
      total += page.length;
      counts = addOverlapPage(counts, await this.sources.overlapsAmong(page, jobId));
    }
    return {
      targets: { total, byTemplate: total === 0 ? [] : [{ template: verdict.template, devices: total }] },
      eta: estimateEta({
        devices: total,
        operations: definition.operations,
        rollout: normalizeRollout(definition.rollout),
        hubRatePerSecond: this.hubRatePerSecond,
      }),
      overlaps: describeOverlaps(definition.operations, counts.values()),
    };
  }

  /** The job's targets a page at a time: its own list, or its set's current members (a set fixes one template). */
  private async *targetPages(definition: JobDefinition): AsyncIterable<string[]> {
    if (!definition.devices) {
      yield* this.sources.memberIds(definition.deviceSet);
      return;
    }
    for (let start = 0; start < definition.devices.length; start += OVERLAP_PAGE_SIZE) {
      yield definition.devices.slice(start, start + OVERLAP_PAGE_SIZE);
    }
  }
}
