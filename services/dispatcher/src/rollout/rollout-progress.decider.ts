import type { FailureKind } from '@fleetjobs/contracts';
import { decideBatchAdvance, evaluateAbort, NormalizedRollout, planBatches, ScopeCounts } from '@fleetjobs/rollout';
import { decideRate, NO_SIGNALS, RateDecision, RateSignals } from './rollout-rate.decider';

/** A rollout job's figures after outcomes were recorded. */
export interface RolloutProgressInput {
  rollout: NormalizedRollout;
  targetsComplete: boolean;
  targetsTotal: number | null;
  currentBatch: number;
  pausedUntil: string | null;
  ratePerMinute: number | null;
  /** Why the rate is what it is, as stored; null before the first round. */
  rateReason?: string | null;
  /** What the hub and the devices said since the adaptive rate was last judged. */
  signals?: RateSignals;
  /** The whole job's outcomes so far. */
  job: ScopeCounts & { completed: number };
  /** The current batch's outcomes (only asked for a job in batches whose targets are complete). */
  batch: (ScopeCounts & { completed: number }) | null;
  now: string;
}

/** What changes: nothing, the job halts with a reason, or the batch, pause or rate moves on. */
export type RolloutProgress =
  | { kind: 'halt'; reason: string; cause: 'abort' | 'gate' }
  | { kind: 'carry-on'; currentBatch: number; pausedUntil: string | null; ratePerMinute: number | null; rate: RateDecision };

/**
 * Abort rules first (a job that must stop never starts another batch), then the success gate
 * and the next batch, then the rate (`decideRate`).
 */
export function decideRolloutProgress(input: RolloutProgressInput): RolloutProgress {
  const { rollout } = input;
  const plan = rollout.batches && input.targetsComplete && input.targetsTotal !== null ? planBatches(input.targetsTotal, rollout.batches) : null;
  const batchCounts = plan && input.batch && input.currentBatch < plan.count ? { ...input.batch, index: input.currentBatch } : undefined;
  const verdict = evaluateAbort(rollout.abort, { job: input.job, batch: batchCounts ?? (rollout.batches ? undefined : { ...input.job, index: 0 }) });
  if (verdict) return { kind: 'halt', reason: verdict.reason, cause: 'abort' };
  let currentBatch = input.currentBatch;
  let pausedUntil = input.pausedUntil;
  if (plan && batchCounts && currentBatch < plan.count - 1) {
    const advance = decideBatchAdvance({
      batch: currentBatch,
      executed: batchCounts.executed,
      completed: batchCounts.completed,
      failed: batchCounts.failed,
      size: plan.batch(currentBatch).size,
      successGate: rollout.successGate,
      pauseBetweenSeconds: rollout.pauseBetweenSeconds,
      pausedUntil,
      now: input.now,
    });
    if (advance.decision === 'gate-failed') return { kind: 'halt', reason: advance.reason, cause: 'gate' };
    if (advance.decision === 'start-next') {
      currentBatch += 1;
      pausedUntil = null;
    } else if (advance.pauseUntil) pausedUntil = advance.pauseUntil;
  }
  const rate = decideRate({
    rate: rollout.rate,
    ratePerMinute: input.ratePerMinute,
    reason: input.rateReason ?? null,
    successes: input.job.completed,
    signals: input.signals ?? NO_SIGNALS,
    now: input.now,
  });
  return { kind: 'carry-on', currentBatch, pausedUntil, ratePerMinute: rate.ratePerMinute, rate };
}

/** Failures by kind, as stored on the job row. */
export type FailuresByKind = Partial<Record<FailureKind, number>>;
