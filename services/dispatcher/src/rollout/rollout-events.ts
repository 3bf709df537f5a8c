import { EventEnvelope, makeEnvelope } from '@fleetjobs/contracts';
import { DISPATCHER_SOURCE } from '../dispatcher.schema';
import type { ProgressSnapshot } from './rollout-report.decider';

/**
 * The job's `sequence`-th progress: the id derives from job and sequence, and the sequence is
 * taken in the transaction that holds the job's row, so a repeated publish is the same fact.
 */
export function rolloutProgressedEnvelope(jobId: string, sequence: number, snapshot: ProgressSnapshot, now: string): EventEnvelope {
  return makeEnvelope({
    id: `${jobId}:rollout-progress:${sequence}`,
    type: 'JobRolloutProgressed',
    version: 1,
    source: DISPATCHER_SOURCE,
    subject: jobId,
    now,
    data: { jobId, ...snapshot, sequence },
  });
}
