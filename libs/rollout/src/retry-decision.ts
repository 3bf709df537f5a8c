import type { FailureKind, OperationType } from '@fleetjobs/contracts';
import type { NormalizedRetries } from './normalize-rollout';

export interface RetryInput {
  kind: FailureKind;
  operationType: OperationType;
  /** Attempts made so far, the one that just failed included (1 after the first failure). */
  attempt: number;
  /** `null`: the job has no retry rules of its own. */
  retries: NormalizedRetries | null;
  /** Whether the request may have left for the device (a gate's `mayHaveSent`). */
  sent: boolean;
  /** A number in [0, 1), injected so that the decision is repeatable; defaults to Math.random. */
  random?: () => number;
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: string };

/**
 * Whether a failed device is tried again, and after how long. Properties and settings converge
 * on the twin and retry any kind in `on`; a command could run twice, so it retries only when it
 * provably was not delivered: the device was offline, or nothing was sent (throttled before the
 * request left). The delay is `initialMs × factor^(attempt-1)`, at most `maxMs`; with jitter it
 * is drawn between half of that and all of it.
 */
export function retryDecision(input: RetryInput): RetryDecision {
  const { kind, operationType, attempt, retries, sent } = input;
  if (!retries) return { retry: false, reason: 'the job has no retry rules' };
  if (attempt >= retries.maxAttempts) return { retry: false, reason: `${attempt} of ${retries.maxAttempts} attempts made` };
  if (!retries.on.includes(kind)) return { retry: false, reason: `${kind} failures are not retried` };
  if (operationType === 'command' && kind !== 'offline' && sent) {
    return { retry: false, reason: `a command that may have been delivered is not retried (${kind})` };
  }
  const { initialMs, factor, maxMs, jitter } = retries.backoff;
  const base = Math.min(maxMs, initialMs * Math.pow(factor, attempt - 1));
  const delayMs = jitter ? Math.round(base / 2 + (base / 2) * (input.random ?? Math.random)()) : Math.round(base);
  return { retry: true, delayMs };
}
