import { DispatchWorkRepository, workKey } from './dispatch-work.repository';

interface Waiter {
  jobId: string;
  deviceId: string;
  resolve: (held: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * Writes the "may have been sent" marks of devices about to send their first changing request.
 * One statement at a time (group commit): devices that start while one is written share the
 * next, so a busy worker writes few large statements rather than many small ones. Each device
 * waits for its own mark to commit.
 */
export class SendMarks {
  private waiting: Waiter[] = [];
  private scheduled = false;
  private flushing = false;

  constructor(
    private readonly work: DispatchWorkRepository,
    readonly workerId: string,
  ) {}

  /** Resolves true once marked, false when this worker no longer holds the claim. */
  mark(jobId: string, deviceId: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ jobId, deviceId, resolve, reject });
      if (this.flushing || this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    this.flushing = true;
    try {
      while (this.waiting.length > 0) {
        const waiters = this.waiting;
        this.waiting = [];
        try {
          const held = await this.work.markSent(this.workerId, waiters);
          for (const waiter of waiters) waiter.resolve(held.has(workKey(waiter.jobId, waiter.deviceId)));
        } catch (error) {
          for (const waiter of waiters) waiter.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
