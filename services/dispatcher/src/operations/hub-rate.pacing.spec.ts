import { clockOffset, dueSlots, pacingPlan, PacingPlan, slotsToReserve, slotTimes } from './hub-rate.pacing';

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

  it('keeps every second at or under the limit when each send is up to the tolerance late, in any phase', () => {
    for (const phaseUs of [0, 1, 5_000, 10_204, 20_408]) {
      const slots = slotTimes(1_700_000_000_000_000 + phaseUs, 49 * 30, plan, 0);
      const sends = slots.map((at, index) => at + (index % 2 === 0 ? plan.lateToleranceMs : 0));
      const counts = [...perSecond(sends).values()];
      expect(Math.max(...counts)).toBeLessThanOrEqual(50);
      expect(Math.max(...perSecond(slots).values())).toBeLessThanOrEqual(49);
    }
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
    const times = slotTimes(2_000_000, 3, plan, 5);
    expect(times).toHaveLength(3);
    [2005, 2025.409, 2045.818].forEach((expected, index) => expect(times[index]).toBeCloseTo(expected, 6));
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
  it('lets through the slots whose time has come', () => {
    expect(dueSlots([100, 105, 140], 108, plan)).toEqual({ lost: 0, due: 2 });
    expect(dueSlots([100, 105, 140], 99, plan)).toEqual({ lost: 0, due: 0 });
  });

  it('loses the slots later than the tolerance instead of sending on them', () => {
    expect(dueSlots([100, 108, 140], 100 + plan.lateToleranceMs + 1, plan)).toEqual({ lost: 1, due: 1 });
    expect(dueSlots([100, 108, 140], 100 + plan.lateToleranceMs, plan)).toEqual({ lost: 0, due: 2 });
  });
});
