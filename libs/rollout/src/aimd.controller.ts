export interface AimdConfig {
  minPerMinute: number;
  maxPerMinute: number;
  startPerMinute: number;
  stepPerMinute: number;
  decreaseFactor: number;
  maxLatencyMs: number;
  maxFailurePercent: number;
}

/**
 * What one observation window showed: any 429 from the hub, the share of outcomes that failed
 * (0 to 1) and the device latency (for example the window's 90th percentile). Fields left out
 * were not observed.
 */
export interface AimdSignal {
  throttled?: boolean | number;
  failureRate?: number;
  latencyMs?: number;
}

export interface AimdDecision {
  ratePerMinute: number;
  /** Why the rate is what it is now, for the job's report. */
  reason: string;
  changed: boolean;
}

export interface AimdState {
  ratePerMinute: number;
  reason: string;
}

/**
 * Additive increase, multiplicative decrease, between a floor and a ceiling. Feed it one signal
 * per observation window: trouble (a 429, too many failures, devices slower than the bound)
 * multiplies the rate by `decreaseFactor`; a healthy window adds `stepPerMinute`. Pure: the
 * state is plain data that can be stored and handed back.
 */
export class AimdController {
  private current: AimdState;

  constructor(
    private readonly config: AimdConfig,
    state?: AimdState,
  ) {
    this.current = state
      ? { ...state }
      : { ratePerMinute: this.clamp(config.startPerMinute), reason: `starting at ${this.clamp(config.startPerMinute)}/min` };
  }

  get state(): AimdState {
    return { ...this.current };
  }

  get ratePerMinute(): number {
    return this.current.ratePerMinute;
  }

  onSignal(signal: AimdSignal): AimdDecision {
    const trouble = this.troubleIn(signal);
    const before = this.current.ratePerMinute;
    const after = trouble ? this.clamp(before * this.config.decreaseFactor) : this.clamp(before + this.config.stepPerMinute);
    const bound = trouble ? `the floor of ${this.config.minPerMinute}/min` : `the ceiling of ${this.config.maxPerMinute}/min`;
    const cause = trouble ?? 'healthy';
    const reason = after === before ? `${cause}: held at ${bound}` : `${cause}: ${format(before)} → ${format(after)}/min`;
    this.current = { ratePerMinute: after, reason };
    return { ratePerMinute: after, reason, changed: after !== before };
  }

  /** The first reason found to slow down, or null for a healthy window. */
  private troubleIn(signal: AimdSignal): string | null {
    return aimdTrouble(this.config, signal)?.text ?? null;
  }

  private clamp(rate: number): number {
    return Math.min(this.config.maxPerMinute, Math.max(this.config.minPerMinute, rate));
  }
}

/** What a window's trouble was: 429s, too many failures or slow devices. */
export type AimdTroubleCause = 'throttled' | 'failures' | 'latency';

/** The first reason found in a window to slow down, or null for a healthy window. */
export function aimdTrouble(
  config: Pick<AimdConfig, 'maxFailurePercent' | 'maxLatencyMs'>,
  signal: AimdSignal,
): { cause: AimdTroubleCause; text: string } | null {
  if (signal.throttled === true || (typeof signal.throttled === 'number' && signal.throttled > 0)) {
    return { cause: 'throttled', text: 'throttled by the hub (429)' };
  }
  if (signal.failureRate !== undefined && signal.failureRate * 100 > config.maxFailurePercent) {
    return { cause: 'failures', text: `failure rate ${format(signal.failureRate * 100)} % > ${config.maxFailurePercent} %` };
  }
  if (signal.latencyMs !== undefined && signal.latencyMs > config.maxLatencyMs) {
    return { cause: 'latency', text: `device latency ${Math.round(signal.latencyMs)} ms > ${config.maxLatencyMs} ms` };
  }
  return null;
}

const format = (value: number) => String(Math.round(value * 10) / 10);
