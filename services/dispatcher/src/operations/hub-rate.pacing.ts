/**
 * The arithmetic of the hub-wide send schedule, pure: every dispatcher process reserves runs of
 * consecutive send slots from one shared schedule (the database's clock) and releases one waiting
 * request per slot.
 */

/**
 * Share of the configured rate the schedule hands out: slots `1 / (0.98 R)` apart, at most 0.98 R
 * in any second of the database's clock (which stands for the hub's).
 */
export const PACING_SHARE = 0.98;

/** Work one reservation covers: a few statements a second, whatever the rate. */
const BATCH_MS = 150;

/**
 * The next slots are reserved this long before the ones held run out, so that the schedule keeps
 * running ahead of the clock even when this process stalls for a moment.
 */
const PREFETCH_MS = 400;

/** The first slot of an idle schedule lies this far ahead of the database's clock: the answer must arrive first. */
const LEAD_MS = 25;

/**
 * Each second's slots are sent within its first 940 ms (their spacing shrunk to 94 %), and a slot
 * may be used late until 960 ms into its second, never later: a stalled process still uses most
 * of its slots, and a request needs more than 40 ms on its way to reach the hub in the next
 * second. A slot not used by then is lost.
 */
const SEND_SPAN_MS = 940;
const USABLE_UNTIL_MS = 960;

export interface PacingPlan {
  /** Between two consecutive slots of the whole deployment, in microseconds (rounded up, never faster). */
  intervalUs: number;
  /** Most slots one reservation takes. */
  batchMax: number;
  prefetchMs: number;
  leadMs: number;
  /** Part of each second its slots are sent in. */
  sendSpanMs: number;
  /** How far into its second a slot may still be used. */
  usableUntilMs: number;
}

/** The plan for a hub-wide limit of `perSecond` requests; null when there is no limit. */
export function pacingPlan(perSecond: number): PacingPlan | null {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return null;
  const intervalUs = Math.ceil(1_000_000 / (perSecond * PACING_SHARE));
  return {
    intervalUs,
    batchMax: Math.max(1, Math.round((BATCH_MS * 1000) / intervalUs)),
    prefetchMs: PREFETCH_MS,
    leadMs: LEAD_MS,
    sendSpanMs: SEND_SPAN_MS,
    usableUntilMs: USABLE_UNTIL_MS,
  };
}

/** How many slots to reserve now: one per waiting request that has none, once the slots held run low. */
export function slotsToReserve(
  state: { waiting: number; held: number; lastSlotAt: number | null; now: number; paused: boolean },
  plan: PacingPlan,
): number {
  const unserved = state.waiting - state.held;
  if (state.paused || unserved <= 0) return 0;
  if (state.held > 0 && state.lastSlotAt !== null && state.lastSlotAt - state.now > plan.prefetchMs) return 0;
  return Math.min(unserved, plan.batchMax);
}

/** When the holder of the slots should look again at whether to reserve more (null: a slot's own time will do). */
export function nextReserveAt(lastSlotAt: number | null, plan: PacingPlan): number | null {
  return lastSlotAt === null ? null : lastSlotAt - plan.prefetchMs;
}

/** One reading of the database's clock: asked at `sentAt`, answered at `receivedAt` (local ms), reading `databaseAt` (database ms). */
export interface ClockReading {
  sentAt: number;
  receivedAt: number;
  databaseAt: number;
}

/**
 * What to add to a database time to get the local time. The database read its clock somewhere
 * between the asking and the answer, so the reading with the shortest round trip bounds the
 * error best (by half of it).
 */
export function clockOffset(readings: readonly ClockReading[]): number | null {
  let best: ClockReading | null = null;
  for (const reading of readings) {
    if (!best || reading.receivedAt - reading.sentAt < best.receivedAt - best.sentAt) best = reading;
  }
  return best ? (best.sentAt + best.receivedAt) / 2 - best.databaseAt : null;
}

/** A send slot on the local clock: a request may leave from `at` until `until`. */
export interface Slot {
  at: number;
  until: number;
}

/**
 * `count` slots that start at `firstAtUs` on the database's clock, each moved into the send span
 * of its second (never into another second), placed on the local clock.
 */
export function slotsFrom(firstAtUs: number, count: number, plan: PacingPlan, offsetMs: number): Slot[] {
  return Array.from({ length: count }, (_, index) => {
    const atMs = (firstAtUs + index * plan.intervalUs) / 1000;
    const secondMs = Math.floor(atMs / 1000) * 1000;
    const sendAtMs = secondMs + ((atMs - secondMs) * plan.sendSpanMs) / 1000;
    return { at: sendAtMs + offsetMs, until: secondMs + plan.usableUntilMs + offsetMs };
  });
}

/**
 * Of the slots held (ascending; `until` grows with `at`), how many at the front are due now (each
 * may release one request) and how many came and went unused.
 */
export function dueSlots(slots: readonly Slot[], now: number): { lost: number; due: number } {
  let lost = 0;
  while (lost < slots.length && slots[lost].until < now) lost += 1;
  let due = 0;
  while (lost + due < slots.length && slots[lost + due].at <= now) due += 1;
  return { lost, due };
}
