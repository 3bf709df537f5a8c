import type { JobOperation, OperationType } from '@fleetjobs/contracts';

/** An active job holding some of the previewed job's devices, as one page of those devices found it. */
export interface OverlapCount {
  jobId: string;
  displayName: string;
  status: string;
  operations: readonly Pick<JobOperation, 'type' | 'name'>[];
  sharedDevices: number;
}

/** A property or setting both jobs write. */
export interface SharedWrite {
  type: Extract<OperationType, 'property' | 'setting'>;
  name: string;
}

export interface JobOverlap {
  jobId: string;
  displayName: string;
  status: string;
  /** Devices both jobs target, counted device by device. */
  sharedDevices: number;
  /** The properties and settings both jobs write on those devices (commands write nothing). */
  sameWrites: SharedWrite[];
}

/**
 * Adds one page's counts to the counts so far. The pages of a job's devices are disjoint and a
 * job holds a device once, so the sum over the pages is the exact number of shared devices.
 */
export function addOverlapPage(counts: ReadonlyMap<string, OverlapCount>, page: readonly OverlapCount[]): Map<string, OverlapCount> {
  const next = new Map(counts);
  for (const row of page) {
    if (row.sharedDevices <= 0) continue;
    const known = next.get(row.jobId);
    next.set(row.jobId, known ? { ...known, sharedDevices: known.sharedDevices + row.sharedDevices } : { ...row });
  }
  return next;
}

/** The overlaps to answer: the most shared devices first, each with the writes both jobs make. */
export function describeOverlaps(operations: readonly Pick<JobOperation, 'type' | 'name'>[], counts: Iterable<OverlapCount>): JobOverlap[] {
  const writes = new Set(operations.filter(isWrite).map(writeKey));
  return [...counts]
    .filter((count) => count.sharedDevices > 0)
    .map((count) => ({
      jobId: count.jobId,
      displayName: count.displayName,
      status: count.status,
      sharedDevices: count.sharedDevices,
      sameWrites: uniqueWrites(count.operations.filter((operation) => isWrite(operation) && writes.has(writeKey(operation)))),
    }))
    .sort((a, b) => b.sharedDevices - a.sharedDevices || (a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0));
}

function isWrite(operation: Pick<JobOperation, 'type' | 'name'>): operation is SharedWrite {
  return operation.type === 'property' || operation.type === 'setting';
}

const writeKey = (operation: Pick<JobOperation, 'type' | 'name'>) => `${operation.type}\u0000${operation.name}`;

function uniqueWrites(operations: Pick<JobOperation, 'type' | 'name'>[]): SharedWrite[] {
  const seen = new Map<string, SharedWrite>();
  for (const operation of operations) {
    if (isWrite(operation)) seen.set(writeKey(operation), { type: operation.type, name: operation.name });
  }
  return [...seen.values()];
}
