import { Rollout, RolloutAbortRule, RolloutBatchState } from '../api/fleetjobs-api.types';
import { formatCount } from '../shared/format';

/** A job's rollout in an operator's words, as the job detail lists it. */

// The contract declares one rate object for both modes (the API refuses a rate missing its mode's fields).
const perMinute = (n: number | undefined) => (n === undefined ? '—' : `${formatCount(n)} / min`);

export function batchesText(rollout: Rollout): string {
  const { batches } = rollout;
  if (!batches) return 'One batch';
  return 'size' in batches ? `${formatCount(batches.size)} devices each` : `${batches.percent} % of the devices each`;
}

export function rateText(rollout: Rollout): string {
  const { rate } = rollout;
  if (!rate) return 'No cap';
  if (rate.mode === 'adaptive') return `Adaptive, ${perMinute(rate.minPerMinute)} to ${perMinute(rate.maxPerMinute)}`;
  if (!rate.ramp) return `Fixed, ${perMinute(rate.perMinute)}`;
  const { startPerMinute, factor = 2, afterSuccesses = 50 } = rate.ramp;
  const start = startPerMinute === undefined ? 'a tenth' : perMinute(Math.min(startPerMinute, rate.perMinute ?? startPerMinute));
  return `Ramp from ${start} ×${factor} every ${formatCount(afterSuccesses)} successes, up to ${perMinute(rate.perMinute)}`;
}

export function abortRuleText(rule: RolloutAbortRule): string {
  const threshold = 'percent' in rule.failed ? `more than ${rule.failed.percent} % failed` : `${formatCount(rule.failed.count)} failed`;
  const kinds = rule.kinds && rule.kinds.length > 0 ? ` (${rule.kinds.join(', ')})` : '';
  const after = 'percent' in rule.failed ? ` after ${formatCount(rule.minExecuted ?? 1)} devices` : '';
  return `${threshold}${kinds}${after}, ${rule.scope === 'batch' ? 'in a batch' : 'in the job'}`;
}

const ms = (n: number) => (n >= 1000 && n % 1000 === 0 ? `${n / 1000} s` : `${formatCount(n)} ms`);

export function retriesText(rollout: Rollout): string {
  const { retries } = rollout;
  if (!retries) return "The deployment's own";
  const on = retries.on ?? ['offline', 'timeout', 'throttled', 'hub'];
  const { initialMs = 1000, factor = 2, maxMs = 60_000, jitter = true } = retries.backoff ?? {};
  return `Up to ${retries.maxAttempts} attempts on ${on.length > 0 ? on.join(', ') : 'no failure'}; backoff ${ms(initialMs)} ×${factor} up to ${ms(maxMs)}${jitter ? ', with jitter' : ''}`;
}

export function timeoutText(rollout: Rollout): string {
  return rollout.timeoutSeconds === undefined ? "The deployment's own" : `${rollout.timeoutSeconds} s per device`;
}

export const BATCH_STATE_TEXT: Record<RolloutBatchState | 'waiting', string> = {
  running: 'Running',
  passed: 'Passed',
  gateFailed: 'Gate failed',
  waiting: 'Waiting',
};
