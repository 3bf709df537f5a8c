/**
 * A token bucket for the hub's request rate: `ratePerSecond` tokens a second, bursts up to one
 * second's worth. `take()` answers 0 when a request may pass, else how long until it could.
 */
export class RateLimiter {
  private tokens: number;
  private refilledAtMs: number;
  private refused = 0;

  constructor(
    private ratePerSecond: number | null,
    nowMs: number = Date.now(),
  ) {
    this.tokens = ratePerSecond ?? 0;
    this.refilledAtMs = nowMs;
  }

  get limit(): number | null {
    return this.ratePerSecond;
  }

  /** Requests answered 429 since start. */
  get throttledCount(): number {
    return this.refused;
  }

  setLimit(ratePerSecond: number | null, nowMs: number = Date.now()): void {
    this.ratePerSecond = ratePerSecond;
    this.tokens = ratePerSecond ?? 0;
    this.refilledAtMs = nowMs;
  }

  /** Milliseconds to wait before retrying; 0 when the request may go ahead (and a token is spent). */
  take(nowMs: number = Date.now()): number {
    const rate = this.ratePerSecond;
    if (rate === null) return 0;
    this.tokens = Math.min(rate, this.tokens + ((nowMs - this.refilledAtMs) / 1000) * rate);
    this.refilledAtMs = nowMs;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    this.refused += 1;
    return Math.ceil(((1 - this.tokens) / rate) * 1000);
  }
}
