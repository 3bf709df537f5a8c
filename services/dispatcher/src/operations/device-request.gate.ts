import { MutationRefused, RequestGate } from '@fleetjobs/device-gateway';
import { dispatcherMetrics } from '../dispatcher.metrics';
import { ClaimedWork } from '../work/dispatch-events';
import { SendMarks } from '../work/send-marks';
import { HubRateLimiter } from './hub-rate.limiter';
import { JobPermits } from './job-permits';

export const CLAIM_LOST = 'this dispatcher no longer holds the device (it was handed to another)';

/** The permit or the mark could not be had (the database did not answer): nothing was sent. */
export class GateUnavailable extends Error {
  constructor(cause: unknown) {
    super(`no permit to send could be had: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * The gate of one claimed device: every request waits for the hub's rate limit; every request
 * that may change the device also needs a permit of its job held at that moment, and the first
 * one the committed mark that it may have been sent.
 */
export class DeviceRequestGate implements RequestGate {
  private marked = false;
  private passed = 0;

  constructor(
    private readonly unit: ClaimedWork,
    private readonly permits: JobPermits,
    private readonly marks: SendMarks,
    private readonly limiter: HubRateLimiter,
  ) {}

  /** Whether a request that may change the device was let through. */
  get mayHaveSent(): boolean {
    return this.passed > 0;
  }

  async beforeRead(): Promise<void> {
    await this.limiter.acquire();
  }

  async beforeMutation(): Promise<void> {
    await this.limiter.acquire();
    for (;;) {
      await this.permitAndMark();
      // The mark took time: the permit must still hold when the request leaves.
      if (this.permits.holds(this.unit.jobId)) {
        this.passed += 1;
        return;
      }
    }
  }

  private async permitAndMark(): Promise<void> {
    let held: boolean;
    try {
      await this.permits.acquire(this.unit.jobId);
      if (this.marked) return;
      held = await this.marks.mark(this.unit.jobId, this.unit.deviceId);
    } catch (error) {
      if (error instanceof MutationRefused) throw error;
      throw new GateUnavailable(error);
    }
    if (!held) throw new MutationRefused(CLAIM_LOST);
    this.marked = true;
  }

  throttled(retryAfterMs: number): void {
    dispatcherMetrics.throttled.inc();
    this.limiter.pause(retryAfterMs + Math.floor(Math.random() * 100));
  }
}
