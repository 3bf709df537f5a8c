import type { RolloutBatches } from '@fleetjobs/contracts';

/** One batch: devices `start` (inclusive) to `end` (exclusive) in the job's target order. */
export interface Batch {
  index: number;
  start: number;
  end: number;
  size: number;
}

/**
 * The batches of a job, computed on demand so that a plan of a million one-device batches costs
 * no memory. Every batch but the last holds `batchSize` devices; the last takes the remainder.
 */
export interface BatchPlan {
  totalDevices: number;
  batchSize: number;
  count: number;
  batch(index: number): Batch;
  /** The batch of the device at `deviceIndex` (0-based) in the job's target order. */
  batchOf(deviceIndex: number): Batch;
}

/**
 * Cuts a job of `totalDevices` into batches. A percent is of the job's devices, rounded up to a
 * whole device and at least one (25 % of 10 devices is batches of 3, 3, 3 and 1); absent
 * batches mean one batch of every device. A job without devices has no batch.
 */
export function planBatches(totalDevices: number, batches: RolloutBatches | null | undefined): BatchPlan {
  if (!Number.isInteger(totalDevices) || totalDevices < 0) throw new RangeError(`totalDevices must be a whole number ≥ 0, not ${totalDevices}`);
  const batchSize = Math.max(1, sizeOf(totalDevices, batches));
  const count = totalDevices === 0 ? 0 : Math.ceil(totalDevices / batchSize);
  const batch = (index: number): Batch => {
    if (!Number.isInteger(index) || index < 0 || index >= count) throw new RangeError(`batch ${index} is not in 0..${count - 1}`);
    const start = index * batchSize;
    const end = Math.min(totalDevices, start + batchSize);
    return { index, start, end, size: end - start };
  };
  return {
    totalDevices,
    batchSize,
    count,
    batch,
    batchOf: (deviceIndex) => {
      if (!Number.isInteger(deviceIndex) || deviceIndex < 0 || deviceIndex >= totalDevices) {
        throw new RangeError(`device ${deviceIndex} is not in 0..${totalDevices - 1}`);
      }
      return batch(Math.floor(deviceIndex / batchSize));
    },
  };
}

function sizeOf(totalDevices: number, batches: RolloutBatches | null | undefined): number {
  if (!batches) return totalDevices;
  if ('size' in batches) return batches.size;
  // toFixed drops the binary noise of the product (7 % of 100 is 7.000000000000001).
  return Math.ceil(Number(((totalDevices * batches.percent) / 100).toFixed(9)));
}
