/**
 * Token bucket for the calls this process makes to the hub, plus a shared pause that a 429
 * from the hub imposes on every caller at once.
 */
export class HubRateLimiter {
  private tokens: number;
  private lastRefill: number;
  private pausedUntil = 0;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = perSecond;
    this.lastRefill = now();
  }

  /** Milliseconds to wait before the next call may go; 0 means go now (and a token is taken). */
  tryAcquire(): number {
    const now = this.now();
    if (now < this.pausedUntil) return this.pausedUntil - now;
    if (this.perSecond <= 0) return 0;
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.lastRefill) / 1000) * this.perSecond);
    this.lastRefill = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }

  async acquire(): Promise<void> {
    for (let wait = this.tryAcquire(); wait > 0; wait = this.tryAcquire()) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** The hub said 429: everyone backs off. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }
}
