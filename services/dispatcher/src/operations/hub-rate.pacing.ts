/**
 * The arithmetic of the hub-wide send schedule, pure: every dispatcher process reserves runs of
 * consecutive send slots from one shared schedule (the database's clock) and releases one waiting
 * request per slot.
 */

/**
 * Share of the configured rate the schedule hands out. Slots `1 / (0.98 R)` apart put at most
 * 0.98 R into any second; a request may then leave or arrive up to ~20 ms after its slot before
 * any second on the hub's clock can hold more than R.
 */
export const PACING_SHARE = 0.98;

/** Work one reservation covers: a few statements a second, whatever the rate. */
const BATCH_MS = 150;

/** The next slots are reserved this long before the ones held run out, so a slot never comes too late to use. */
const PREFETCH_MS = 150;

/** The first slot of an idle schedule lies this far ahead of the database's clock: the answer must arrive first. */
const LEAD_MS = 25;

/**
 * A slot used later than this is lost instead: half of the ~20 ms of slack, the other half left
 * for the way to the hub and for the error of reading the database's clock.
 */
const LATE_TOLERANCE_MS = 10;

export interface PacingPlan {
  /** Between two consecutive slots of the whole deployment, in microseconds (rounded up, never faster). */
  intervalUs: number;
  /** Most slots one reservation takes. */
  batchMax: number;
  prefetchMs: number;
  leadMs: number;
  lateToleranceMs: number;
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
    lateToleranceMs: LATE_TOLERANCE_MS,
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

/** The local times of `count` slots that start at `firstAtUs` on the database's clock. */
export function slotTimes(firstAtUs: number, count: number, plan: PacingPlan, offsetMs: number): number[] {
  return Array.from({ length: count }, (_, index) => (firstAtUs + index * plan.intervalUs) / 1000 + offsetMs);
}

/**
 * Of the slots held (local ms, ascending), how many at the front are due now (each may release
 * one request) and how many came and went unused: a slot used later than the tolerance could
 * crowd the next second, so it is lost instead.
 */
export function dueSlots(slots: readonly number[], now: number, plan: PacingPlan): { lost: number; due: number } {
  let lost = 0;
  while (lost < slots.length && slots[lost] < now - plan.lateToleranceMs) lost += 1;
  let due = 0;
  while (lost + due < slots.length && slots[lost + due] <= now) due += 1;
  return { lost, due };
}
