import type { OverlapCount } from './job-overlap.model';

/** The most device ids one question about overlaps carries. */
export const OVERLAP_PAGE_SIZE = 1000;

/** Where a preview finds a job's targets and the active jobs holding them (the owners of those facts). */
export interface JobPreviewSources {
  /** A set's current member ids in id order, at most `OVERLAP_PAGE_SIZE` per page. */
  memberIds(deviceSet: string): AsyncIterable<string[]>;
  /** The active jobs (other than `excludeJobId`) holding some of these devices, with how many each holds. */
  overlapsAmong(deviceIds: readonly string[], excludeJobId: string | null): Promise<OverlapCount[]>;
}

export const JOB_PREVIEW_SOURCES = Symbol('JOB_PREVIEW_SOURCES');
