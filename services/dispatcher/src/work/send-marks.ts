import { DispatchWorkRepository, workKey } from './dispatch-work.repository';

interface Waiter {
  jobId: string;
  deviceId: string;
  resolve: (held: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * Writes the "may have been sent" marks of devices about to send their first changing request;
 * devices starting together share one statement. Each waits for its mark to commit.
 */
export class SendMarks {
  private waiting: Waiter[] = [];
  private scheduled = false;

  constructor(
    private readonly work: DispatchWorkRepository,
    readonly workerId: string,
  ) {}

  /** Resolves true once marked, false when this worker no longer holds the claim. */
  mark(jobId: string, deviceId: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ jobId, deviceId, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const waiters = this.waiting;
    this.waiting = [];
    try {
      const held = await this.work.markSent(this.workerId, waiters);
      for (const waiter of waiters) waiter.resolve(held.has(workKey(waiter.jobId, waiter.deviceId)));
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
    }
  }
}
