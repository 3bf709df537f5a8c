/**
 * Every job-related event, whichever service decides it, goes to one topic keyed by job id:
 * a job's lifecycle, its targets and its device outcomes then stay in order within a partition.
 */
export const TOPICS = {
  jobs: 'fleetjobs.jobs',
  /** Templates, devices and device sets, keyed by the entity's id. */
  devices: 'fleetjobs.devices',
  /** API tokens created and revoked, keyed by the token's id. */
  access: 'fleetjobs.access',
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

export const ALL_TOPICS: Topic[] = [TOPICS.jobs, TOPICS.devices, TOPICS.access];

/** Partitions per topic when the product creates its topics. */
export const DEFAULT_PARTITIONS = 8;
