import { DataReader, InvalidEventDataError } from '../data-reader';

/**
 * How a job's devices are reached over time: batches in sequence, a rate, abort rules, retries and
 * a per-device timeout. Every field is optional; a job without a rollout runs as before (all
 * devices at once, the dispatcher's own limits). The defaults are applied by `normalizeRollout`
 * (libs/rollout) when the job runs, so the definition keeps exactly what was asked.
 */
export interface Rollout {
  /** Devices per batch, as a count or a percent of the job's devices; absent: one batch. */
  batches?: RolloutBatches;
  /** The share of a batch that must complete before the next batch starts. */
  successGate?: { percent: number };
  /** Seconds to wait after a batch before the next one starts. */
  pauseBetweenSeconds?: number;
  rate?: RolloutRate;
  /** Rules that halt the job and end it `failed` when too many devices fail. */
  abort?: RolloutAbortRule[];
  retries?: RolloutRetries;
  /** How long one device operation (of any type) may take before it fails as `timeout`. */
  timeoutSeconds?: number;
}

export type RolloutBatches = { size: number } | { percent: number };

/** A fixed cap in device operations per minute (optionally ramped up to), or an adaptive rate. */
export type RolloutRate = FixedRolloutRate | AdaptiveRolloutRate;

export interface FixedRolloutRate {
  mode?: 'fixed';
  perMinute: number;
  /** Start slower and multiply the rate by `factor` after each `afterSuccesses` successes, up to `perMinute`. */
  ramp?: { startPerMinute?: number; factor?: number; afterSuccesses?: number };
}

/** Additive increase while healthy, multiplicative decrease on throttling, failures or slow devices. */
export interface AdaptiveRolloutRate {
  mode: 'adaptive';
  minPerMinute: number;
  maxPerMinute: number;
  /** The first rate; defaults to `minPerMinute`. */
  startPerMinute?: number;
  /** Added after each healthy observation window; defaults to `minPerMinute`. */
  stepPerMinute?: number;
  /** The rate is multiplied by this on trouble; defaults to 0.5. */
  decreaseFactor?: number;
  /** Device latency above which the rate goes down; defaults to 5000 ms. */
  maxLatencyMs?: number;
  /** Failure rate (percent of a window's outcomes) above which the rate goes down; defaults to 10. */
  maxFailurePercent?: number;
}

export interface RolloutAbortRule {
  failed: { percent: number } | { count: number };
  /** Devices that must have an outcome (in the rule's scope) before a percent rule is judged. */
  minExecuted?: number;
  /** `job` (default) counts over the whole job; `batch` over the current batch. */
  scope?: RolloutScope;
  /** Only failures of these kinds count; absent: every failure. */
  kinds?: FailureKind[];
}

export interface RolloutRetries {
  /** Attempts per device including the first (1 = no retry). */
  maxAttempts: number;
  /** Failure kinds that are retried. A command retries only failures that prove it was not delivered. */
  on?: FailureKind[];
  backoff?: { initialMs?: number; factor?: number; maxMs?: number; jitter?: boolean };
}

export type RolloutScope = 'job' | 'batch';
export const ROLLOUT_SCOPES: readonly RolloutScope[] = ['job', 'batch'];

/**
 * Why a device failed: `offline` (not connected, nothing delivered), `timeout` (no answer in time),
 * `rejected` (the device refused or failed the operation), `hub` (the hub could not be reached or
 * answered an error), `throttled` (the hub kept answering 429).
 */
export type FailureKind = 'offline' | 'timeout' | 'rejected' | 'hub' | 'throttled';
export const FAILURE_KINDS: readonly FailureKind[] = ['offline', 'timeout', 'rejected', 'hub', 'throttled'];

export const RATE_MODES = ['fixed', 'adaptive'] as const;

/** Bounds of the rollout fields the API accepts (docs/openapi.yaml states the same). */
export const ROLLOUT_LIMITS = {
  maxPerMinute: 1_000_000,
  maxPauseBetweenSeconds: 86_400,
  maxAttempts: 10,
  minTimeoutSeconds: 1,
  maxTimeoutSeconds: 300,
  maxAbortRules: 10,
  maxBackoffMs: 3_600_000,
  maxLatencyMs: 600_000,
} as const;

const optional = <T>(r: DataReader, field: string, read: (field: string) => T): T | undefined =>
  r.has(field) && r.any(field) !== null ? read(field) : undefined;

const kindsOf = (r: DataReader, field: string): FailureKind[] | undefined =>
  optional(r, field, () => {
    const value = r.any(field);
    if (!Array.isArray(value) || value.some((kind) => !FAILURE_KINDS.includes(kind as FailureKind))) {
      throw new InvalidEventDataError('rollout', field, `a list of ${FAILURE_KINDS.join(', ')}`);
    }
    return [...value] as FailureKind[];
  });

const nested = (r: DataReader, field: string, name: string) => new DataReader(name, r.object(field));

/** Drops the keys whose value is undefined, so a read definition equals the one that was written. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}

function readRate(r: DataReader): RolloutRate {
  if (r.optionalString('mode') === 'adaptive') {
    return defined({
      mode: 'adaptive' as const,
      minPerMinute: r.number('minPerMinute'),
      maxPerMinute: r.number('maxPerMinute'),
      startPerMinute: optional(r, 'startPerMinute', (f) => r.number(f)),
      stepPerMinute: optional(r, 'stepPerMinute', (f) => r.number(f)),
      decreaseFactor: optional(r, 'decreaseFactor', (f) => r.number(f)),
      maxLatencyMs: optional(r, 'maxLatencyMs', (f) => r.number(f)),
      maxFailurePercent: optional(r, 'maxFailurePercent', (f) => r.number(f)),
    });
  }
  const ramp = optional(r, 'ramp', (f) => nested(r, f, 'rollout.rate.ramp'));
  return defined({
    mode: r.optionalString('mode') === 'fixed' ? ('fixed' as const) : undefined,
    perMinute: r.number('perMinute'),
    ramp:
      ramp &&
      defined({
        startPerMinute: optional(ramp, 'startPerMinute', (f) => ramp.number(f)),
        factor: optional(ramp, 'factor', (f) => ramp.number(f)),
        afterSuccesses: optional(ramp, 'afterSuccesses', (f) => ramp.number(f)),
      }),
  });
}

function readAbortRule(r: DataReader): RolloutAbortRule {
  const failed = nested(r, 'failed', 'rollout.abort.failed');
  const scope = r.optionalString('scope');
  if (scope !== undefined && !ROLLOUT_SCOPES.includes(scope as RolloutScope)) throw new InvalidEventDataError('rollout.abort', 'scope', 'job or batch');
  return defined({
    failed: failed.has('count') ? { count: failed.number('count') } : { percent: failed.number('percent') },
    minExecuted: optional(r, 'minExecuted', (f) => r.number(f)),
    scope: scope as RolloutScope | undefined,
    kinds: kindsOf(r, 'kinds'),
  });
}

function readRetries(r: DataReader): RolloutRetries {
  const backoff = optional(r, 'backoff', (f) => nested(r, f, 'rollout.retries.backoff'));
  return defined({
    maxAttempts: r.number('maxAttempts'),
    on: kindsOf(r, 'on'),
    backoff:
      backoff &&
      defined({
        initialMs: optional(backoff, 'initialMs', (f) => backoff.number(f)),
        factor: optional(backoff, 'factor', (f) => backoff.number(f)),
        maxMs: optional(backoff, 'maxMs', (f) => backoff.number(f)),
        jitter: optional(backoff, 'jitter', (f) => backoff.boolean(f)),
      }),
  });
}

/** Reads a stored rollout; fields it does not know are ignored (an optional field keeps the version). */
export function readRollout(r: DataReader): Rollout {
  const batches = optional(r, 'batches', (f) => nested(r, f, 'rollout.batches'));
  const gate = optional(r, 'successGate', (f) => nested(r, f, 'rollout.successGate'));
  return defined({
    batches: batches && (batches.has('size') ? { size: batches.number('size') } : { percent: batches.number('percent') }),
    successGate: gate && { percent: gate.number('percent') },
    pauseBetweenSeconds: optional(r, 'pauseBetweenSeconds', (f) => r.number(f)),
    rate: optional(r, 'rate', (f) => readRate(nested(r, f, 'rollout.rate'))),
    abort: optional(r, 'abort', (f) => r.array(f, readAbortRule)),
    retries: optional(r, 'retries', (f) => readRetries(nested(r, f, 'rollout.retries'))),
    timeoutSeconds: optional(r, 'timeoutSeconds', (f) => r.number(f)),
  });
}
