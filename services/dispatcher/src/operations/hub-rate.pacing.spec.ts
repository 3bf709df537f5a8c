import { clockOffset, dueSlots, pacingPlan, PacingPlan, Slot, slotsFrom, slotsToReserve } from './hub-rate.pacing';

const plan = pacingPlan(50) as PacingPlan;

/** Requests of each whole second, for sends at these local times (ms). */
function perSecond(times: number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const time of times) counts.set(Math.floor(time / 1000), (counts.get(Math.floor(time / 1000)) ?? 0) + 1);
  return counts;
}

describe('the pacing plan', () => {
  it('has no schedule without a limit', () => {
    expect(pacingPlan(0)).toBeNull();
    expect(pacingPlan(-5)).toBeNull();
    expect(pacingPlan(Number.NaN)).toBeNull();
  });

  it('spaces slots for 98 % of the limit, never faster', () => {
    expect(plan.intervalUs).toBe(20_409);
    expect(1_000_000 / plan.intervalUs).toBeLessThanOrEqual(49);
    expect(1_000_000 / plan.intervalUs).toBeGreaterThanOrEqual(0.97 * 50);
  });

  it('reserves about 150 ms of slots at a time, whatever the rate', () => {
    expect(plan.batchMax).toBe(7);
    expect((pacingPlan(1000) as PacingPlan).batchMax).toBe(147);
    expect((pacingPlan(1) as PacingPlan).batchMax).toBe(1);
  });

  it('keeps every second under the limit however late each slot is used within its window, in any phase', () => {
    for (const phaseUs of [0, 1, 5_000, 10_204, 20_408, 999_999]) {
      const slots = slotsFrom(1_700_000_000_000_000 + phaseUs, 49 * 30, plan, 0);
      for (const lateness of [0, 0.5, 1]) {
        const sends = slots.map((slot, index) => (index % 3 === 0 ? slot.at : slot.at + (slot.until - slot.at) * lateness));
        expect(Math.max(...perSecond(sends).values())).toBeLessThanOrEqual(49);
      }
    }
  });

  it('leaves at least 40 ms between a second\'s last use of a slot and the next second', () => {
    const slots = slotsFrom(1_700_000_000_000_000, 49 * 30, plan, 0);
    expect(Math.max(...slots.map((slot) => slot.until % 1000))).toBeLessThanOrEqual(960);
    expect(slots.every((slot) => slot.at <= slot.until && Math.floor(slot.at / 1000) === Math.floor(slot.until / 1000))).toBe(true);
  });
});

describe('reserving slots', () => {
  const state = { waiting: 10, held: 0, lastSlotAt: null, now: 1000, paused: false };

  it('reserves one slot per waiting request, at most a batch', () => {
    expect(slotsToReserve({ ...state, waiting: 3 }, plan)).toBe(3);
    expect(slotsToReserve(state, plan)).toBe(plan.batchMax);
  });

  it('reserves nothing when every waiting request has a slot', () => {
    expect(slotsToReserve({ ...state, waiting: 4, held: 4, lastSlotAt: 1050 }, plan)).toBe(0);
    expect(slotsToReserve({ ...state, waiting: 0 }, plan)).toBe(0);
  });

  it('reserves more only once the slots held run out within the prefetch time', () => {
    expect(slotsToReserve({ ...state, held: 7, lastSlotAt: 1000 + plan.prefetchMs + 1 }, plan)).toBe(0);
    expect(slotsToReserve({ ...state, held: 7, lastSlotAt: 1000 + plan.prefetchMs }, plan)).toBe(3);
  });

  it('reserves nothing while the hub has everyone paused', () => {
    expect(slotsToReserve({ ...state, paused: true }, plan)).toBe(0);
  });
});

describe('placing slots on the local clock', () => {
  it('places slots at the interval from the first, shifted by the clock offset', () => {
    const slots = slotsFrom(2_000_000, 3, plan, 5);
    expect(slots).toHaveLength(3);
    [2005, 2024.18446, 2043.36892].forEach((expected, index) => expect(slots[index].at).toBeCloseTo(expected, 6));
  });

  it('moves each slot into the first 940 ms of its second (on the database clock)', () => {
    expect(slotsFrom(7_500_000, 1, plan, 0)[0].at).toBeCloseTo(7470, 6);
    expect(slotsFrom(7_999_000, 1, plan, 0)[0].at).toBeCloseTo(7939.06, 6);
  });

  it('lets a slot be used late until 960 ms into its own second', () => {
    const [slot] = slotsFrom(7_100_000, 1, plan, 5);
    expect(slot).toEqual({ at: 7099, until: 7965 });
  });

  it('reads the offset from the reading with the shortest round trip', () => {
    expect(
      clockOffset([
        { sentAt: 1000, receivedAt: 1100, databaseAt: 900 },
        { sentAt: 2000, receivedAt: 2004, databaseAt: 1992 },
        { sentAt: 3000, receivedAt: 3050, databaseAt: 3000 },
      ]),
    ).toBe(10);
  });

  it('has no offset before any reading', () => {
    expect(clockOffset([])).toBeNull();
  });
});

describe('due slots', () => {
  const slots: Slot[] = [
    { at: 100, until: 950 },
    { at: 120, until: 950 },
    { at: 980, until: 990 },
    { at: 1000, until: 1950 },
  ];

  it('lets through the slots whose time has come', () => {
    expect(dueSlots(slots, 125)).toEqual({ lost: 0, due: 2 });
    expect(dueSlots(slots, 99)).toEqual({ lost: 0, due: 0 });
  });

  it('still lets a late slot through within its window', () => {
    expect(dueSlots(slots, 950)).toEqual({ lost: 0, due: 2 });
    expect(dueSlots(slots, 990)).toEqual({ lost: 2, due: 1 });
  });

  it('loses the slots whose window has passed instead of sending on them', () => {
    expect(dueSlots(slots, 991)).toEqual({ lost: 3, due: 0 });
    expect(dueSlots(slots, 1001)).toEqual({ lost: 3, due: 1 });
  });
});
