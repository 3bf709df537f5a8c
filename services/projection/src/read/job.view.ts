import { DeviceJobStatus, JobOperation, JobSchedule, JobStatus, Rollout } from '@fleetjobs/contracts';
import type { ActorRef, JobApproval } from '../jobs/job.projection';
import type { RolloutProgressView } from '../rollout/job-rollout.repository';

/** A job as the REST API and the live stream show it (PRODUCT.md §2). */
export interface JobView {
  id: string;
  displayName: string;
  description: string;
  deviceSet: string;
  devices: string[] | null;
  operations: JobOperation[];
  status: JobStatus;
  /** The jobs a queued job (`onConflict: queue`) still waits for: it stays `pending` until each has ended; empty otherwise. */
  waitingFor: string[];
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  counts: { total: number; pending: number; completed: number; failed: number };
  /** The job's rollout as created; null for a job without one. */
  rollout: Rollout | null;
  /** Where the rollout stands (batches, rate and why); null until the dispatchers reported any. */
  rolloutProgress: RolloutProgressView | null;
  /** Who created the job; null when no actor was recorded (e.g. before sign-in existed). */
  createdBy: ActorRef | null;
  /** Who stopped the job; null unless a person or script stopped it. */
  stoppedBy: ActorRef | null;
  /** The two-person rule: null when the job needs no approval; while `approvedAt` is null it stays pending. */
  approval: JobApproval | null;
  /** The job this one reruns; null for a job created from a body. */
  rerunOf: string | null;
  /** The job this one reverts (`POST /api/jobs/{id}/revert`); absent for any other job. */
  revertOf?: string;
  /** The recurring schedule this job is a run of; absent for any other job. */
  scheduleId?: string;
  /** Which run of its schedule it is, from 1; absent for a job of no schedule. */
  scheduleRun?: number;
  /** When the job may start, as created; absent for a job that starts at once. */
  schedule?: JobSchedule;
  /** The start a scheduled job still waits for (it stays `pending` until then); null otherwise. */
  nextStartAt: string | null;
  /** When the job's outcomes became final (no device will report any more); null until then. */
  settledAt: string | null;
}

/** One device of a job as the REST API shows it. */
export interface JobDeviceView {
  deviceId: string;
  displayName: string | null;
  status: DeviceJobStatus;
  error: string | null;
  deleted: boolean;
  /** Attempts made on the device; null while pending or when not recorded. */
  attempts: number | null;
}
