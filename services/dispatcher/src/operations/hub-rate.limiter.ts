import { Logger } from '@nestjs/common';
import { dispatcherMetrics } from '../dispatcher.metrics';
import { ClockReading, clockOffset, dueSlots, nextReserveAt, PacingPlan, pacingPlan, Slot, slotsFrom, slotsToReserve } from './hub-rate.pacing';
import { HubSlotSource } from './hub-rate.repository';

/** Readings of the database's clock kept to place slots on the local clock. */
const READINGS_KEPT = 16;
/** After the schedule could not be reached, the next try waits this long. */
const RETRY_AFTER_FAILURE_MS = 500;

/** A send slot as a caller holds it: the request must leave by `until` (local clock). */
export type SendSlot = Pick<Slot, 'until'>;
const ANY_TIME: SendSlot = { until: Number.POSITIVE_INFINITY };

/** A sub-millisecond local clock that never jumps back. */
const localClock = () => performance.timeOrigin + performance.now();

/**
 * The hub's rate limit as this process sees it. With a limit, every request waits for a send slot
 * of the schedule shared by all dispatchers of the deployment (reserved a few at a time, for the
 * requests waiting here); without one, requests go at once. A 429 from the hub pauses every
 * caller of this process at once, with or without a limit.
 */
export class HubRateLimiter {
  private readonly plan: PacingPlan | null;
  private readonly logger = new Logger(HubRateLimiter.name);
  private readonly waiters: ((slot: SendSlot) => void)[] = [];
  /** Slots held, ascending. */
  private slots: Slot[] = [];
  private readings: ClockReading[] = [];
  private reserving = false;
  private unreachableUntil = 0;
  private pausedUntil = 0;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Number.POSITIVE_INFINITY;
  private pumpScheduled = false;
  private lostSlots = 0;

  constructor(
    perSecond: number,
    private readonly source: HubSlotSource | null,
    private readonly now: () => number = localClock,
  ) {
    this.plan = source ? pacingPlan(perSecond) : null;
  }

  /** Slots this process held and could not use in time (or during a pause): the shortfall against the rate. */
  get lost(): number {
    return this.lostSlots;
  }

  /** Resolves when a request may be sent, with the slot it must be sent in. */
  async acquire(): Promise<SendSlot> {
    if (!this.plan) {
      for (let wait = this.pausedUntil - this.now(); wait > 0; wait = this.pausedUntil - this.now()) {
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
      return ANY_TIME;
    }
    return new Promise<SendSlot>((resolve) => {
      this.waiters.push(resolve);
      // Requests that come together share one reservation.
      if (!this.pumpScheduled) {
        this.pumpScheduled = true;
        setImmediate(() => {
          this.pumpScheduled = false;
          this.pump();
        });
      }
    });
  }

  /**
   * Whether a request let through in `slot` may still leave now. A process that stalled after the
   * slot was handed out (a busy machine, a long synchronous step) would otherwise send it into the
   * next second, on top of that second's own slots; such a slot is given up, and counted as lost.
   */
  inTime(slot: SendSlot): boolean {
    if (this.now() <= slot.until) return true;
    this.lostSlots += 1;
    dispatcherMetrics.slotsLost.inc();
    return false;
  }

  /** The hub said 429: everyone backs off. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  /** Releases a waiting request per due slot, reserves more slots when they run low, and sets the next wake-up. */
  private pump(): void {
    const plan = this.plan;
    if (!plan) return;
    const now = this.now();
    const paused = now < this.pausedUntil;
    const { lost, due } = dueSlots(this.slots, now);
    const released = paused ? 0 : Math.min(due, this.waiters.length);
    if (lost + due - released > 0) {
      this.lostSlots += lost + due - released;
      dispatcherMetrics.slotsLost.inc(lost + due - released);
    }
    const releasedSlots = this.slots.slice(lost, lost + released);
    this.slots = this.slots.slice(lost + due);
    this.waiters.splice(0, released).forEach((resolve, index) => resolve(releasedSlots[index]));

    const lastSlotAt = this.slots.length > 0 ? this.slots[this.slots.length - 1].at : null;
    if (!this.reserving && now >= this.unreachableUntil) {
      const count = slotsToReserve({ waiting: this.waiters.length, held: this.slots.length, lastSlotAt, now, paused }, plan);
      if (count > 0) void this.reserve(plan, count);
    }
    this.wakeAt(this.nextWakeUp(plan, now, paused, lastSlotAt));
  }

  private nextWakeUp(plan: PacingPlan, now: number, paused: boolean, lastSlotAt: number | null): number {
    if (this.waiters.length === 0 && this.slots.length === 0) return Number.POSITIVE_INFINITY;
    let at = this.slots.length > 0 ? this.slots[0].at : Number.POSITIVE_INFINITY;
    if (this.waiters.length > this.slots.length && !this.reserving) {
      at = Math.min(at, Math.max(nextReserveAt(lastSlotAt, plan) ?? now, this.unreachableUntil, paused ? this.pausedUntil : now));
    }
    return at;
  }

  private wakeAt(at: number): void {
    if (at === this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = at;
    if (at === Number.POSITIVE_INFINITY) return;
    // Timers round to whole milliseconds and may fire a little early: pump() then simply waits again.
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.pump();
    }, Math.max(0, Math.ceil(at - this.now())));
    this.timer.unref();
  }

  private async reserve(plan: PacingPlan, count: number): Promise<void> {
    this.reserving = true;
    const sentAt = this.now();
    try {
      const reservation = await this.source!.reserve(count, plan.intervalUs, plan.leadMs);
      const receivedAt = this.now();
      this.readings = [...this.readings.slice(-(READINGS_KEPT - 1)), { sentAt, receivedAt, databaseAt: reservation.databaseNowUs / 1000 }];
      const offset = clockOffset(this.readings) ?? 0;
      this.slots = [...this.slots, ...slotsFrom(reservation.firstAtUs, count, plan, offset)].sort((a, b) => a.at - b.at);
    } catch (error) {
      this.unreachableUntil = this.now() + RETRY_AFTER_FAILURE_MS;
      this.logger.warn(`the hub's send schedule could not be reached: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.reserving = false;
      this.pump();
    }
  }
}
