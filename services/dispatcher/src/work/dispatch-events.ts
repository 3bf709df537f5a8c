import { EventEnvelope, JobOperation } from '@fleetjobs/contracts';
import { DISPATCHER_SOURCE } from '../dispatcher.schema';

/** Outcome of one device within a job, as recorded and published. */
export interface DeviceOutcome {
  jobId: string;
  deviceId: string;
  ok: boolean;
  error: string | null;
}

/** One claimed unit of work: every operation of a job on one device. */
export interface ClaimedWork {
  jobId: string;
  deviceId: string;
  operations: JobOperation[];
}

/**
 * Ids are derived from the fact itself (a device has one outcome per job; a job finishes once),
 * so a retried publish or a concluded orphan can never make a second fact.
 */
export function outcomeEnvelope(outcome: DeviceOutcome, now: string): EventEnvelope {
  const common = { id: `${outcome.jobId}:${outcome.deviceId}:outcome`, version: 1, source: DISPATCHER_SOURCE, subject: outcome.jobId, time: now };
  return outcome.ok
    ? { ...common, type: 'DeviceSucceeded', data: { jobId: outcome.jobId, deviceId: outcome.deviceId, completedAt: now } }
    : { ...common, type: 'DeviceFailed', data: { jobId: outcome.jobId, deviceId: outcome.deviceId, error: outcome.error ?? 'failed', failedAt: now } };
}

export function dispatchFinishedEnvelope(
  jobId: string,
  counts: { completed: number; failed: number; notStarted: number },
  now: string,
): EventEnvelope {
  return {
    id: `${jobId}:dispatch-finished`,
    type: 'JobDispatchFinished',
    version: 1,
    source: DISPATCHER_SOURCE,
    subject: jobId,
    time: now,
    data: { jobId, ...counts, finishedAt: now },
  };
}
