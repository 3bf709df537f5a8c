import { MutationRefused } from '@fleetjobs/device-gateway';
import { JobControlStore, SqlExecutor } from '@fleetjobs/persistence-pg';

export const JOB_HALTED = 'the job was halted before this device was reached';
export const JOB_PAUSED = 'the job is paused';

interface Waiter {
  jobId: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * This process's permits to send, one lease per job, renewed before it runs out. Requests for
 * permits that arrive together share one statement. A permit is used only until `marginMs`
 * before its lease ends (timed from before the grant was asked, so the database's lease always
 * outlasts it); a refusal means the job is halted, for good, or paused, for now (a paused job's
 * refusal is not remembered: the next request asks again).
 */
export class JobPermits {
  private readonly usableUntil = new Map<string, number>();
  private readonly halted = new Set<string>();
  private waiting: Waiter[] = [];
  private scheduled = false;

  constructor(
    private readonly control: JobControlStore,
    private readonly executor: SqlExecutor,
    private readonly leaseMs: number,
    private readonly marginMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a request of the job may leave right now under a permit already held. */
  holds(jobId: string): boolean {
    return (this.usableUntil.get(jobId) ?? 0) > this.now();
  }

  isHalted(jobId: string): boolean {
    return this.halted.has(jobId);
  }

  /** Resolves once a permit for the job is held; rejects with `MutationRefused` when it is halted or paused. */
  async acquire(jobId: string): Promise<void> {
    if (this.halted.has(jobId)) throw new MutationRefused(JOB_HALTED);
    // Renew a little ahead, so that a busy job rarely waits for its grant.
    if ((this.usableUntil.get(jobId) ?? 0) - this.now() > (this.leaseMs - this.marginMs) / 3) return;
    await new Promise<void>((resolve, reject) => {
      this.waiting.push({ jobId, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.grantWaiting());
      }
    });
  }

  /** Forgets jobs that ended, so that the map does not grow with history. */
  forget(jobIds: Iterable<string>): void {
    for (const jobId of jobIds) {
      this.usableUntil.delete(jobId);
      this.halted.delete(jobId);
    }
  }

  private async grantWaiting(): Promise<void> {
    this.scheduled = false;
    const waiters = this.waiting;
    this.waiting = [];
    const askedAt = this.now();
    try {
      const { halted, paused } = await this.control.grant(this.executor, waiters.map((waiter) => waiter.jobId), this.leaseMs);
      for (const jobId of halted) this.halted.add(jobId);
      const pausedNow = new Set(paused);
      const until = askedAt + this.leaseMs - this.marginMs;
      for (const waiter of waiters) {
        if (this.halted.has(waiter.jobId)) waiter.reject(new MutationRefused(JOB_HALTED));
        else if (pausedNow.has(waiter.jobId)) waiter.reject(new MutationRefused(JOB_PAUSED));
        else {
          this.usableUntil.set(waiter.jobId, Math.max(this.usableUntil.get(waiter.jobId) ?? 0, until));
          waiter.resolve();
        }
      }
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
    }
  }
}
