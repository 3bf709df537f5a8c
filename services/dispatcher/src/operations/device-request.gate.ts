import { MutationRefused, RequestGate } from '@fleetjobs/device-gateway';
import { dispatcherMetrics } from '../dispatcher.metrics';
import { ClaimedWork } from '../work/dispatch-events';
import { SendMarks } from '../work/send-marks';
import { HubRateLimiter } from './hub-rate.limiter';
import { JOB_PAUSED, JobPermits } from './job-permits';
import type { RecordedPrevious } from './previous-values.repository';

export const CLAIM_LOST = 'this dispatcher no longer holds the device (it was handed to another)';

/** Rounds of permit and confirmation that ended too late to use before the device is handed back. */
const MAX_CONFIRMATION_TRIES = 3;

/** How often a device part way through its operations asks again whether its paused job was resumed. */
const PAUSED_RETRY_MS = 1000;

/** The permit or the mark could not be had (the database did not answer): nothing was sent. */
export class GateUnavailable extends Error {
  constructor(cause: unknown) {
    super(`no permit to send could be had: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * The gate of one claimed device: every request waits for the hub's rate limit; every request
 * that may change the device also needs a permit of its job held at that moment, and a recent
 * committed confirmation that this worker still holds the claim (which also writes the "may have
 * been sent" mark). A confirmation refreshes the worker's heartbeat, so no other worker can take
 * the claim over for `orphanAfterMs`; it is used for half of that, so a worker frozen or slowed
 * down past it must confirm again, and finds the claim gone if it was taken over.
 */
export class DeviceRequestGate implements RequestGate {
  private passed = 0;
  private confirmedUntil = 0;
  /** Values the next changing request replaces, written with its send mark; by kind and name, the last heard. */
  private readonly toKeep = new Map<string, RecordedPrevious>();

  constructor(
    private readonly unit: ClaimedWork,
    private readonly permits: JobPermits,
    private readonly marks: SendMarks,
    private readonly limiter: HubRateLimiter,
    /** How long a confirmation of the claim may be relied on; Infinity when no other worker can take it over. */
    private readonly claimWindowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a request that may change the device was let through. */
  get mayHaveSent(): boolean {
    return this.passed > 0;
  }

  async beforeRead(): Promise<void> {
    while (!this.limiter.inTime(await this.limiter.acquire()));
  }

  async beforeMutation(): Promise<void> {
    for (let failedConfirmations = 0; ; ) {
      // The database first: its round trips after the send slot would push the request past it.
      await this.permitAndConfirm();
      const slot = await this.limiter.acquire();
      // Both took time: the permit and the confirmation must still hold when the request leaves.
      if (this.mayLeave()) {
        // A slot that went by while this process was held up is not used: the next one is.
        if (!this.limiter.inTime(slot)) continue;
        this.passed += 1;
        return;
      }
      failedConfirmations += 1;
      // A database this slow cannot vouch for the claim in time: hand the device back undone,
      // for a worker with a faster link (or this one, later).
      if (failedConfirmations >= MAX_CONFIRMATION_TRIES) {
        throw new GateUnavailable(new Error('the database answered too slowly to confirm the claim in time'));
      }
    }
  }

  /**
   * A request let through may still wait for its connection to the hub to open (a TLS handshake
   * on a starved machine can take seconds): it leaves only if the permit and the confirmation
   * still hold then, or is handed back unsent.
   */
  beforeBytesLeave(): void {
    if (!this.mayLeave()) throw new GateUnavailable(new Error('the permit or the claim ran out while the connection to the hub was opening'));
  }

  private mayLeave(): boolean {
    return this.permits.holds(this.unit.jobId) && this.now() < this.confirmedUntil;
  }

  /**
   * Keeps `value` (what the next changing request replaces) before that request leaves: it is
   * written with the send mark, and the request waits for it like for the mark. A value of the
   * same kind and name heard again replaces the one not yet written.
   */
  keepBeforeSend(value: RecordedPrevious): void {
    this.toKeep.set(`${value.kind}\u0000${value.name}`, value);
  }

  notApplied(): void {
    this.passed = Math.max(0, this.passed - 1);
  }

  private async permitAndConfirm(): Promise<void> {
    try {
      await this.permit();
      if (this.now() < this.confirmedUntil && this.toKeep.size === 0) return;
      const askedAt = this.now();
      const keep = [...this.toKeep.values()];
      this.toKeep.clear();
      // A re-drive's earlier attempt may have written the value already: what was kept first stays.
      if (!(await this.marks.mark(this.unit.jobId, this.unit.deviceId, keep, !this.unit.redrive))) throw new MutationRefused(CLAIM_LOST);
      this.confirmedUntil = askedAt + this.claimWindowMs;
    } catch (error) {
      if (error instanceof MutationRefused) throw error;
      throw new GateUnavailable(error);
    }
  }

  /**
   * A device whose job is paused is handed back when it has sent nothing yet, or when what it
   * sent can be re-driven from the twin (properties and settings only). One part way through
   * operations that include a command waits for the resume (or a stop) instead, so that no
   * command is cut off or sent twice.
   */
  private async permit(): Promise<void> {
    const mustWait = () => this.passed > 0 && this.unit.operations.some((operation) => operation.type === 'command');
    for (;;) {
      try {
        await this.permits.acquire(this.unit.jobId);
        return;
      } catch (error) {
        if (!(error instanceof MutationRefused && error.message === JOB_PAUSED && mustWait())) throw error;
        await new Promise((resolve) => setTimeout(resolve, PAUSED_RETRY_MS));
      }
    }
  }

  throttled(retryAfterMs: number): void {
    dispatcherMetrics.throttled.inc();
    this.limiter.pause(retryAfterMs + Math.floor(Math.random() * 100));
  }
}
