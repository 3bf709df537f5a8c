import type { NormalizedRamp } from './normalize-rollout';

export interface RampState {
  ratePerMinute: number;
  /** Successes counted towards the next increase. */
  successesSinceIncrease: number;
}

/**
 * An exponential ramp: the rate starts at `startPerMinute` and is multiplied by `factor` after
 * every `afterSuccesses` successes, never above the cap. Pure: the state is plain data that can
 * be stored and handed back; the rate after n successes is also `rateAfter(n)`.
 */
export class RampController {
  private current: RampState;

  constructor(
    private readonly ramp: NormalizedRamp,
    private readonly capPerMinute: number,
    state?: RampState,
  ) {
    this.current = state ? { ...state } : { ratePerMinute: Math.min(capPerMinute, ramp.startPerMinute), successesSinceIncrease: 0 };
  }

  get state(): RampState {
    return { ...this.current };
  }

  get ratePerMinute(): number {
    return this.current.ratePerMinute;
  }

  /** Counts one success and answers the rate from now on. */
  onSuccess(): number {
    if (this.current.ratePerMinute >= this.capPerMinute) return this.current.ratePerMinute;
    const successes = this.current.successesSinceIncrease + 1;
    this.current =
      successes >= this.ramp.afterSuccesses
        ? { ratePerMinute: Math.min(this.capPerMinute, this.current.ratePerMinute * this.ramp.factor), successesSinceIncrease: 0 }
        : { ratePerMinute: this.current.ratePerMinute, successesSinceIncrease: successes };
    return this.current.ratePerMinute;
  }

  /** The rate once `successes` devices succeeded, for a controller rebuilt from a success count. */
  rateAfter(successes: number): number {
    const steps = Math.floor(Math.max(0, successes) / this.ramp.afterSuccesses);
    const start = Math.min(this.capPerMinute, this.ramp.startPerMinute);
    return Math.min(this.capPerMinute, start * Math.pow(this.ramp.factor, steps));
  }
}
