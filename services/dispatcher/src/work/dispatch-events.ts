import { EventEnvelope, JobOperation, makeEnvelope } from '@fleetjobs/contracts';
import type { NormalizedRollout } from '@fleetjobs/rollout';
import { DISPATCHER_SOURCE } from '../dispatcher.schema';
import type { RunSignals } from '../rollout/rate-signals.repository';

/** Outcome of one device within a job, as recorded and published. */
export interface DeviceOutcome {
  jobId: string;
  deviceId: string;
  ok: boolean;
  error: string | null;
  /** What the run told of the hub and the device, for an adaptive rate. */
  signals?: RunSignals;
  /** Attempts made on the device, this one included (set when the outcome is recorded). */
  attempts?: number;
}

/** One claimed unit of work: every operation of a job on one device. */
export interface ClaimedWork {
  jobId: string;
  deviceId: string;
  operations: JobOperation[];
  /** An earlier attempt may have changed the device already: re-drive from what the twin says. */
  redrive: boolean;
  /** Earlier attempts that ended before an outcome (the hub unreachable, or a failure retried). */
  attempts: number;
  /** The job's rollout, with its defaults; absent for a job without one. */
  rollout?: NormalizedRollout;
}

/**
 * A claimed device handed back undone: nothing was sent (the job was halted, or the hub could
 * not be reached before any change), or what was sent can be re-driven safely. `error` is set
 * when a failure caused it, which delays and counts the next attempt.
 */
export interface DeviceRelease {
  jobId: string;
  deviceId: string;
  redrive: boolean;
  error: string | null;
  /** Whether this attempt counts towards the device's limit (hub failures do, our own outages do not). */
  counted: boolean;
  /** The permits said the job is halted. */
  halted: boolean;
  /** A retry of the job's rollout: try again after this long (else the dispatcher's own backoff). */
  delayMs?: number;
  /** 429s the hub answered this attempt's requests, for an adaptive rate. */
  throttled?: number;
}

/**
 * Ids are derived from the fact itself (a device has one outcome per job; a job finishes once),
 * so a retried publish or a concluded orphan can never make a second fact.
 */
export function outcomeEnvelope(outcome: DeviceOutcome, now: string): EventEnvelope {
  const common = { id: `${outcome.jobId}:${outcome.deviceId}:outcome`, version: 1, source: DISPATCHER_SOURCE, subject: outcome.jobId, now };
  const { jobId, deviceId } = outcome;
  const attempts = outcome.attempts === undefined ? {} : { attempts: outcome.attempts };
  return outcome.ok
    ? makeEnvelope({ ...common, type: 'DeviceSucceeded', data: { jobId, deviceId, completedAt: now, ...attempts } })
    : makeEnvelope({ ...common, type: 'DeviceFailed', data: { jobId, deviceId, error: outcome.error ?? 'failed', failedAt: now, ...attempts } });
}

/** `abortReason`: the job's rollout halted it (an abort rule or a success gate). */
export function dispatchFinishedEnvelope(
  jobId: string,
  counts: { completed: number; failed: number; notStarted: number },
  now: string,
  abortReason: string | null = null,
): EventEnvelope {
  return makeEnvelope({
    id: `${jobId}:dispatch-finished`,
    type: 'JobDispatchFinished',
    version: 1,
    source: DISPATCHER_SOURCE,
    subject: jobId,
    now,
    data: { jobId, ...counts, finishedAt: now, ...(abortReason === null ? {} : { abortReason }) },
  });
}

/** The key of one device of one job, for sets of claims. */
export function workKey(jobId: string, deviceId: string): string {
  return `${jobId}\u0000${deviceId}`;
}
