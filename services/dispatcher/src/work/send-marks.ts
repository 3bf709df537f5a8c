import type { RecordedPrevious, SendMark } from '../operations/previous-values.repository';
import { workKey } from './dispatch-events';

/** Where the marks go: one statement for many devices (`PreviousValuesRepository.markSent`). */
export interface SendMarkStore {
  markSent(workerId: string, marks: SendMark[]): Promise<Set<string>>;
}

interface Waiter {
  mark: SendMark;
  resolve: (held: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * Writes the "may have been sent" marks of devices about to send a changing request, with the
 * values those requests replace. One statement at a time (group commit): devices that start while
 * one is written share the next, so a busy worker writes few large statements rather than many
 * small ones. Each device waits for its own mark to commit.
 */
export class SendMarks {
  private waiting: Waiter[] = [];
  private scheduled = false;
  private flushing = false;

  constructor(
    private readonly store: SendMarkStore,
    readonly workerId: string,
  ) {}

  /**
   * Resolves true once marked (and `keep` kept), false when this worker no longer holds the claim.
   * `replace`: see `PreviousValuesRepository.markSent`.
   */
  mark(jobId: string, deviceId: string, keep: RecordedPrevious[] = [], replace = true): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ mark: { jobId, deviceId, ...(keep.length > 0 ? { keep, replace } : {}) }, resolve, reject });
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
          const held = await this.store.markSent(this.workerId, waiters.map((waiter) => waiter.mark));
          for (const waiter of waiters) waiter.resolve(held.has(workKey(waiter.mark.jobId, waiter.mark.deviceId)));
        } catch (error) {
          for (const waiter of waiters) waiter.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
