/** Requests of one second on the hub's arrival clock: those served and those answered 429. */
export interface SecondTally {
  /** Start of the second, ISO 8601. */
  second: string;
  accepted: number;
  throttled: number;
}

/**
 * Counts the device-facing requests per second of arrival, so that a test can hold the traffic
 * against a rate (at most R in any second). Only the most recent `keepSeconds` are kept.
 */
export class RequestTally {
  private readonly seconds = new Map<number, { accepted: number; throttled: number }>();

  constructor(private readonly keepSeconds = 900) {}

  count(arrivedAtMs: number, throttled: boolean): void {
    const second = Math.floor(arrivedAtMs / 1000);
    let tally = this.seconds.get(second);
    if (!tally) {
      tally = { accepted: 0, throttled: 0 };
      this.seconds.set(second, tally);
      for (const kept of this.seconds.keys()) {
        if (kept > second - this.keepSeconds) break;
        this.seconds.delete(kept);
      }
    }
    if (throttled) tally.throttled += 1;
    else tally.accepted += 1;
  }

  /** The seconds with traffic since `sinceMs` (all kept ones when absent), oldest first. */
  since(sinceMs = 0): SecondTally[] {
    const from = Math.floor(sinceMs / 1000);
    return [...this.seconds.entries()]
      .filter(([second]) => second >= from)
      .sort(([a], [b]) => a - b)
      .map(([second, tally]) => ({ second: new Date(second * 1000).toISOString(), ...tally }));
  }
}
