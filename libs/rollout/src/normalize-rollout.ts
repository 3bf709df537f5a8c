import type { FailureKind, Rollout, RolloutBatches, RolloutScope } from '@fleetjobs/contracts';

export interface NormalizedRamp {
  startPerMinute: number;
  factor: number;
  afterSuccesses: number;
}

export type NormalizedRate =
  | { mode: 'fixed'; perMinute: number; ramp: NormalizedRamp | null }
  | {
      mode: 'adaptive';
      minPerMinute: number;
      maxPerMinute: number;
      startPerMinute: number;
      stepPerMinute: number;
      decreaseFactor: number;
      maxLatencyMs: number;
      maxFailurePercent: number;
    };

export interface NormalizedAbortRule {
  failed: { percent: number } | { count: number };
  minExecuted: number;
  scope: RolloutScope;
  /** `null`: every failure counts. */
  kinds: FailureKind[] | null;
}

export interface NormalizedRetries {
  maxAttempts: number;
  on: FailureKind[];
  backoff: { initialMs: number; factor: number; maxMs: number; jitter: boolean };
}

/**
 * A rollout with every default applied. `null` means "as a job without a rollout": one batch,
 * no gate, no rate of its own, the dispatcher's own retries and timeouts.
 */
export interface NormalizedRollout {
  batches: RolloutBatches | null;
  successGate: { percent: number } | null;
  pauseBetweenSeconds: number;
  rate: NormalizedRate | null;
  abort: NormalizedAbortRule[];
  retries: NormalizedRetries | null;
  timeoutSeconds: number | null;
}

export const ROLLOUT_DEFAULTS = {
  rampFactor: 2,
  rampAfterSuccesses: 50,
  /** A ramp without a start begins at a tenth of the cap. */
  rampStartShare: 0.1,
  adaptiveDecreaseFactor: 0.5,
  adaptiveMaxLatencyMs: 5000,
  adaptiveMaxFailurePercent: 10,
  abortMinExecuted: 1,
  retryOn: ['offline', 'timeout', 'throttled', 'hub'] as FailureKind[],
  backoff: { initialMs: 1000, factor: 2, maxMs: 60_000, jitter: true },
} as const;

/** Applies the defaults to a job's rollout (absent: the behaviour of a job without one). */
export function normalizeRollout(rollout: Rollout | null | undefined): NormalizedRollout {
  const r = rollout ?? {};
  return {
    batches: r.batches ?? null,
    successGate: r.successGate ?? null,
    pauseBetweenSeconds: r.pauseBetweenSeconds ?? 0,
    rate: normalizeRate(r.rate),
    abort: (r.abort ?? []).map((rule) => ({
      failed: rule.failed,
      minExecuted: rule.minExecuted ?? ROLLOUT_DEFAULTS.abortMinExecuted,
      scope: rule.scope ?? 'job',
      kinds: rule.kinds && rule.kinds.length > 0 ? [...rule.kinds] : null,
    })),
    retries: r.retries
      ? {
          maxAttempts: r.retries.maxAttempts,
          on: [...(r.retries.on ?? ROLLOUT_DEFAULTS.retryOn)],
          backoff: { ...ROLLOUT_DEFAULTS.backoff, ...definedOnly(r.retries.backoff ?? {}) },
        }
      : null,
    timeoutSeconds: r.timeoutSeconds ?? null,
  };
}

function normalizeRate(rate: Rollout['rate']): NormalizedRate | null {
  if (!rate) return null;
  if (rate.mode === 'adaptive') {
    return {
      mode: 'adaptive',
      minPerMinute: rate.minPerMinute,
      maxPerMinute: rate.maxPerMinute,
      startPerMinute: clamp(rate.startPerMinute ?? rate.minPerMinute, rate.minPerMinute, rate.maxPerMinute),
      stepPerMinute: rate.stepPerMinute ?? rate.minPerMinute,
      decreaseFactor: rate.decreaseFactor ?? ROLLOUT_DEFAULTS.adaptiveDecreaseFactor,
      maxLatencyMs: rate.maxLatencyMs ?? ROLLOUT_DEFAULTS.adaptiveMaxLatencyMs,
      maxFailurePercent: rate.maxFailurePercent ?? ROLLOUT_DEFAULTS.adaptiveMaxFailurePercent,
    };
  }
  const ramp = rate.ramp
    ? {
        startPerMinute: Math.min(rate.perMinute, rate.ramp.startPerMinute ?? rate.perMinute * ROLLOUT_DEFAULTS.rampStartShare),
        factor: rate.ramp.factor ?? ROLLOUT_DEFAULTS.rampFactor,
        afterSuccesses: rate.ramp.afterSuccesses ?? ROLLOUT_DEFAULTS.rampAfterSuccesses,
      }
    : null;
  return { mode: 'fixed', perMinute: rate.perMinute, ramp };
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}
