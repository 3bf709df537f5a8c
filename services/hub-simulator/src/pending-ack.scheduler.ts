import { SimulatorTimers } from './simulator-timers';
import { TwinStore } from './store/twin.store';

const RECOVERY_PAGE = 1000;
const RETRY_AFTER_FAILURE_MS = 1000;

/**
 * Delivers the acknowledgements of slow devices when they fall due. Pending acknowledgements are
 * rows in PostgreSQL, so a restarted simulator picks them up again (`recover`).
 */
export class PendingAckScheduler {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly twins: TwinStore,
    private readonly timers: SimulatorTimers,
  ) {}

  schedule(deviceId: string, dueAt: Date): void {
    this.timers.after(Math.max(0, dueAt.getTime() - Date.now()), () => this.deliver(deviceId));
  }

  async recover(): Promise<void> {
    let after = '';
    for (;;) {
      const page = await this.twins.pendingAckDevices(after, RECOVERY_PAGE);
      page.forEach((entry) => this.schedule(entry.deviceId, entry.dueAt));
      if (page.length < RECOVERY_PAGE) return;
      after = page[page.length - 1].deviceId;
    }
  }

  /** Waits for deliveries already under way (call after the timers are stopped). */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private deliver(deviceId: string): void {
    const delivery = this.twins
      .acknowledgeDue(deviceId)
      .catch((error: unknown) => {
        if (this.timers.isStopped) return;
        console.error(`hub simulator: acknowledging settings of ${deviceId} failed; retrying`, error);
        this.timers.after(RETRY_AFTER_FAILURE_MS, () => this.deliver(deviceId));
      })
      .finally(() => this.running.delete(delivery));
    this.running.add(delivery);
  }
}
