import { FieldError } from '@fleetjobs/http-kit';
import { JobOperation } from '@fleetjobs/contracts';

export interface JobTargetsRequest {
  deviceSet: string;
  devices: string[] | null;
  operations: JobOperation[];
  /** The rollout's batch size, sent only when the job names no devices: the set must hold that many. */
  batchSize?: number;
  /** Count the set's current members, up to this many, and answer the count (the approval threshold's rule). */
  countMembersUpTo?: number;
}

/** The device set's verdict on a job: the template to run against, or the problem to answer. */
export type JobTargetsVerdict =
  | { ok: true; template: string; memberCount?: number }
  | { ok: false; status: number; detail: string; errors: FieldError[] };

/** Asks the owner of devices and sets whether a job's set, devices and operations are valid. */
export interface JobDefinitionChecker {
  check(request: JobTargetsRequest): Promise<JobTargetsVerdict>;
}
