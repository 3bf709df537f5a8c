import { Inject, Injectable } from '@nestjs/common';
import type { JobDefinition } from '../job.decider';
import { addOverlapPage, describeOverlaps, JobOverlap, OverlapCount } from './job-overlap.model';
import { JOB_PREVIEW_SOURCES, JobPreviewSources, OVERLAP_PAGE_SIZE } from './job-preview-sources.port';

/** A job's targets as they are now, and the active jobs holding some of them. */
export interface FoundOverlaps {
  total: number;
  overlaps: JobOverlap[];
}

/**
 * Finds the active jobs that hold some of a job's targets, exact to the device: the targets are
 * walked once, in pages of at most 1000 ids (device-set's keyset page for a set-wide job, the
 * job's own list otherwise), and the projection is asked, per page, which active jobs hold those
 * ids. A job of N devices costs 2·⌈N/1000⌉ internal calls and holds one page and one count per
 * overlapping job in memory, never the fleet. Used by the preview and by creation's conflict check.
 */
@Injectable()
export class JobOverlapFinder {
  constructor(@Inject(JOB_PREVIEW_SOURCES) private readonly sources: JobPreviewSources) {}

  async find(definition: JobDefinition, excludeJobId: string | null): Promise<FoundOverlaps> {
    let total = 0;
    let counts = new Map<string, OverlapCount>();
    for await (const page of this.targetPages(definition)) {
      total += page.length;
      counts = addOverlapPage(counts, await this.sources.overlapsAmong(page, excludeJobId));
    }
    return { total, overlaps: describeOverlaps(definition.operations, counts.values()) };
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
