import { PreviousValueRecord, PreviousValuesRepository, recordKey } from './previous-values.repository';

interface Waiter {
  value: PreviousValueRecord;
  replace: boolean;
  resolve: (held: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * Keeps the values that devices' writes are about to replace; devices about to write together
 * share one statement (two, when re-drives are among them). Each waits for its value to commit.
 */
export class PreviousValueMarks {
  private waiting: Waiter[] = [];
  private scheduled = false;
  private flushing = false;

  constructor(
    private readonly repository: PreviousValuesRepository,
    private readonly workerId: string,
  ) {}

  /** Resolves true once kept, false when this worker no longer holds the device's claim. */
  keep(value: PreviousValueRecord, replace: boolean): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ value, replace, resolve, reject });
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
        for (const replace of [true, false]) {
          const group = waiters.filter((waiter) => waiter.replace === replace);
          if (group.length === 0) continue;
          try {
            const held = await this.repository.recordAll(this.workerId, group.map((waiter) => waiter.value), replace);
            for (const waiter of group) waiter.resolve(held.has(recordKey(waiter.value)));
          } catch (error) {
            for (const waiter of group) waiter.reject(error);
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
