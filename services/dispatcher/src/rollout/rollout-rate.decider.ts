import type { FailureKind } from '@fleetjobs/contracts';
import { AimdController, aimdTrouble, NormalizedRate, RampController } from '@fleetjobs/rollout';

/** How long an adaptive rate watches its job before it is judged again. */
export const RATE_WINDOW_MS = 2_000;
/** Outcomes a window needs before its failure rate says anything. */
export const MIN_OUTCOMES_FOR_FAILURE_RATE = 5;
/**
 * A healthy window raises the rate only when the job used at least this share of it. A job held
 * back by the hub (its 429s' Retry-After) achieves about the hub's rate whatever its own: raising
 * it on windows that used only part of it would climb far past the hub's rate between 429s.
 */
export const MIN_USE_TO_INCREASE = 0.8;

/**
 * Failures that speak of load: the hub kept throttling or failed, or a device did not answer in
 * time. A device offline or refusing the operation says nothing about how fast the job goes.
 */
const LOAD_FAILURE_KINDS: ReadonlySet<FailureKind> = new Set(['timeout', 'hub', 'throttled']);

export function speaksOfLoad(kind: FailureKind | null): boolean {
  return kind !== null && LOAD_FAILURE_KINDS.has(kind);
}

/** What a job's devices and the hub said since `since`, as counted on the job's row. */
export interface RateSignals {
  /** When the window began; null: no window yet. */
  since: string | null;
  outcomes: number;
  /** Outcomes that failed for a reason that speaks of load (`speaksOfLoad`). */
  failed: number;
  /** 429s the hub answered the job's requests. */
  throttled: number;
  /** Device latency summed over `timed` outcomes, time waiting for our own gate left out. */
  latencyMsSum: number;
  timed: number;
}

export const NO_SIGNALS: RateSignals = { since: null, outcomes: 0, failed: 0, throttled: 0, latencyMsSum: 0, timed: 0 };

export interface RateInput {
  rate: NormalizedRate | null;
  ratePerMinute: number | null;
  reason: string | null;
  /** The job's successes so far (a ramp follows them). */
  successes: number;
  signals: RateSignals;
  now: string;
}

/** Why the rate changed (a label of the rate-changes metric). */
export type RateCause = 'start' | 'fixed' | 'ramp' | 'healthy' | 'throttled' | 'failures' | 'latency';

export interface RateDecision {
  ratePerMinute: number | null;
  reason: string | null;
  /** Set when the rate or its reason changed. */
  cause: RateCause | null;
  /** A new observation window starts now: the job's signals are cleared. */
  newWindow: boolean;
}

/**
 * The rate a job runs at from now. A fixed rate is its cap; a ramp follows the successes; an
 * adaptive rate is judged once per window from the signals: a 429, too many failures of load or
 * devices slower than the bound multiply it down, a healthy window that used the rate adds the
 * step, and a window with nothing to judge (no outcome, no 429), too few outcomes to judge
 * their failures, or that used less than `MIN_USE_TO_INCREASE` of the rate leaves it as it is.
 */
export function decideRate(input: RateInput): RateDecision {
  const { rate } = input;
  const keep = (newWindow = false): RateDecision => ({ ratePerMinute: input.ratePerMinute, reason: input.reason, cause: null, newWindow });
  const set = (ratePerMinute: number, reason: string, cause: RateCause, newWindow = false): RateDecision =>
    ratePerMinute === input.ratePerMinute && reason === input.reason ? keep(newWindow) : { ratePerMinute, reason, cause, newWindow };
  if (!rate) return keep();
  if (rate.mode === 'fixed') {
    if (!rate.ramp) return set(rate.perMinute, `fixed at ${rate.perMinute}/min`, 'fixed');
    const ramped = new RampController(rate.ramp, rate.perMinute).rateAfter(input.successes);
    if (input.ratePerMinute === null || input.reason === null) return set(ramped, `ramp: starting at ${ramped}/min`, 'start');
    if (ramped === input.ratePerMinute) return keep();
    return set(ramped, `ramp: ${input.ratePerMinute} → ${ramped}/min after ${input.successes} successes`, 'ramp');
  }
  const current = input.ratePerMinute ?? rate.startPerMinute;
  const { signals } = input;
  if (signals.since === null || input.reason === null) return set(current, `starting at ${current}/min`, 'start', true);
  const elapsedMs = Date.parse(input.now) - Date.parse(signals.since);
  if (elapsedMs < RATE_WINDOW_MS) return keep();
  if (signals.outcomes === 0 && signals.throttled === 0) return keep(true);
  const signal = {
    throttled: signals.throttled,
    ...(signals.outcomes >= MIN_OUTCOMES_FOR_FAILURE_RATE ? { failureRate: signals.failed / signals.outcomes } : {}),
    ...(signals.timed > 0 ? { latencyMs: signals.latencyMsSum / signals.timed } : {}),
  };
  const trouble = aimdTrouble(rate, signal);
  const usedPerMinute = (signals.outcomes * 60_000) / elapsedMs;
  // Too few outcomes to judge their failure rate: failures among them are no reason to go faster.
  const doubtful = signals.outcomes < MIN_OUTCOMES_FOR_FAILURE_RATE && signals.failed > 0;
  if (!trouble && (doubtful || usedPerMinute < MIN_USE_TO_INCREASE * current)) return keep(true);
  const decision = new AimdController(rate, { ratePerMinute: current, reason: input.reason }).onSignal(signal);
  return set(decision.ratePerMinute, decision.reason, trouble?.cause ?? 'healthy', true);
}
