import { simulatorLogger } from './simulator-logger';
import { SimulatorTimers } from './simulator-timers';
import { TwinStore } from './store/twin.store';

const RECOVERY_PAGE = 1000;
const RETRY_AFTER_FAILURE_MS = 1000;

/**
 * Delivers the acknowledgements of slow devices when they fall due. Pending acknowledgements are
 * rows in PostgreSQL, so a restarted simulator picks them up again (`recover`).
 *
 * A delivery re-arms itself for the device's next pending acknowledgement. Node's timers run on a
 * monotonic clock truncated to milliseconds while due times are wall-clock instants, so a timer
 * can fire a millisecond before its row is due; later patches also move a row's due time. Without
 * the re-arm such a row would never be delivered and the setting would never be acknowledged.
 */
export class PendingAckScheduler {
  private readonly running = new Set<Promise<void>>();
  /** Per device, the due time of the earliest timer armed for it; its delivery re-arms for later rows. */
  private readonly armed = new Map<string, number>();

  constructor(
    private readonly twins: TwinStore,
    private readonly timers: SimulatorTimers,
  ) {}

  schedule(deviceId: string, dueAt: Date): void {
    const dueMs = dueAt.getTime();
    const armedMs = this.armed.get(deviceId);
    if (armedMs !== undefined && armedMs <= dueMs) return;
    this.armed.set(deviceId, dueMs);
    this.timers.after(Math.max(0, dueMs - Date.now()), () => {
      if (this.armed.get(deviceId) === dueMs) this.armed.delete(deviceId);
      this.deliver(deviceId);
    });
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
      .then((nextDueAt) => {
        if (nextDueAt) this.schedule(deviceId, nextDueAt);
      })
      .catch((error: unknown) => {
        if (this.timers.isStopped) return;
        simulatorLogger.warn({ deviceId, err: error }, 'acknowledging settings failed; retrying');
        this.timers.after(RETRY_AFTER_FAILURE_MS, () => this.deliver(deviceId));
      })
      .finally(() => this.running.delete(delivery));
    this.running.add(delivery);
  }
}
