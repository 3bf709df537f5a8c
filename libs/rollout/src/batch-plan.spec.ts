import { planBatches } from './batch-plan';

describe('planBatches', () => {
  it('given batches of 100 devices, when a job of 250 is planned, then it has batches of 100, 100 and 50', () => {
    const plan = planBatches(250, { size: 100 });
    expect(plan.count).toBe(3);
    expect([0, 1, 2].map((index) => plan.batch(index))).toEqual([
      { index: 0, start: 0, end: 100, size: 100 },
      { index: 1, start: 100, end: 200, size: 100 },
      { index: 2, start: 200, end: 250, size: 50 },
    ]);
  });

  it('given 25 % batches, when a job of 10 is planned, then the percent rounds up to 3 devices and the last batch takes the remainder', () => {
    const plan = planBatches(10, { percent: 25 });
    expect(plan.batchSize).toBe(3);
    expect([0, 1, 2, 3].map((index) => plan.batch(index).size)).toEqual([3, 3, 3, 1]);
  });

  it('given a percent whose product carries binary noise, when planned, then the size is the exact whole number', () => {
    expect(planBatches(100, { percent: 7 }).batchSize).toBe(7);
  });

  it('given a percent smaller than one device, when planned, then each batch holds one device', () => {
    expect(planBatches(3, { percent: 10 }).count).toBe(3);
  });

  it('given no batches, when planned, then the job is one batch', () => {
    expect(planBatches(5000, null).count).toBe(1);
    expect(planBatches(5000, null).batch(0)).toEqual({ index: 0, start: 0, end: 5000, size: 5000 });
  });

  it('given a batch larger than the job, when planned, then the job is one batch', () => {
    expect(planBatches(10, { size: 100 }).batch(0).size).toBe(10);
  });

  it('given a job without devices, when planned, then it has no batch', () => {
    expect(planBatches(0, { size: 10 }).count).toBe(0);
  });

  it('given a plan, when asked for the batch of a device index, then it answers the batch holding it', () => {
    const plan = planBatches(250, { size: 100 });
    expect(plan.batchOf(0).index).toBe(0);
    expect(plan.batchOf(99).index).toBe(0);
    expect(plan.batchOf(100).index).toBe(1);
    expect(plan.batchOf(249).index).toBe(2);
  });

  it('given a plan of a million one-device batches, when built, then it answers without listing them', () => {
    const plan = planBatches(1_000_000, { size: 1 });
    expect(plan.count).toBe(1_000_000);
    expect(plan.batchOf(999_999)).toEqual({ index: 999_999, start: 999_999, end: 1_000_000, size: 1 });
  });

  it('given an index outside the plan, when asked, then it refuses', () => {
    const plan = planBatches(10, { size: 5 });
    expect(() => plan.batch(2)).toThrow(RangeError);
    expect(() => plan.batchOf(10)).toThrow(RangeError);
  });
});
