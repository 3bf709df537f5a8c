/**
 * Spaces the device operations of all running jobs together at the hub's job-device rate
 * (`null`: no throttle, as fast as the simulator goes). Jobs share the rate as IoT Hub's
 * "jobs device operations" throttle is the hub's, not each job's.
 */
export class JobDevicePacer {
  private nextSlotMs = 0;

  constructor(private readonly ratePerSecond: () => number | null) {}

  /** The rate now, or `null` when unthrottled. */
  get rate(): number | null {
    return this.ratePerSecond();
  }

  /** Takes the next slot: milliseconds until it (0: at once). */
  take(nowMs: number): number {
    const rate = this.ratePerSecond();
    if (!rate || rate <= 0) return 0;
    const slot = Math.max(nowMs, this.nextSlotMs);
    this.nextSlotMs = slot + 1000 / rate;
    return slot - nowMs;
  }
}
