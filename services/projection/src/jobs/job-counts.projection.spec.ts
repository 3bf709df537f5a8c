import { FleetEvent } from '@fleetjobs/contracts';
import { aDeviceFailed, aDeviceSucceeded, aJobTargetsResolved } from '../testing/job-event.builders';
import { countChange, isNoChange, JobCounts, noCounts } from './job-counts.projection';
import { evolveJobDevice, JobDeviceRow, jobDeviceEvents, sameJobDevice } from './job-device.projection';

const JOB = 'job-1';

/**
 * Folds the events as the batch handler does, one batch after the other: rows are evolved in
 * memory, and each row that changed adds its change to the counts.
 */
function foldBatches(batches: FleetEvent[][]): { counts: JobCounts; rows: JobDeviceRow[] } {
  const stored = new Map<string, JobDeviceRow>();
  let counts = noCounts();
  for (const batch of batches) {
    const rows = new Map(stored);
    for (const fact of batch.flatMap(jobDeviceEvents)) {
      const next = evolveJobDevice(rows.get(fact.deviceId) ?? null, fact);
      if (next) rows.set(fact.deviceId, next);
    }
    for (const [id, row] of rows) {
      const was = stored.get(id) ?? null;
      if (was !== null && sameJobDevice(was, row)) continue;
      counts = countChange(counts, was, row);
      stored.set(id, row);
    }
  }
  return { counts, rows: [...stored.values()] };
}

const countOf = (rows: JobDeviceRow[]): JobCounts => ({
  total: rows.length,
  pending: rows.filter((row) => row.status === 'pending').length,
  completed: rows.filter((row) => row.status === 'completed').length,
  failed: rows.filter((row) => row.status === 'failed').length,
});

describe('countChange', () => {
  it('a new pending row adds one device, pending', () => {
    const row = evolveJobDevice(null, jobDeviceEvents(aJobTargetsResolved(JOB, ['vm-1']))[0])!;
    expect(countChange(noCounts(), null, row)).toEqual({ total: 1, pending: 1, completed: 0, failed: 0 });
  });

  it('a pending row reaching its outcome moves one device from pending to that outcome', () => {
    const pending = evolveJobDevice(null, jobDeviceEvents(aJobTargetsResolved(JOB, ['vm-1']))[0])!;
    const done = evolveJobDevice(pending, jobDeviceEvents(aDeviceFailed(JOB, 'vm-1'))[0])!;
    expect(countChange({ total: 5, pending: 3, completed: 1, failed: 1 }, pending, done)).toEqual({ total: 5, pending: 2, completed: 1, failed: 2 });
  });

  it('a row rewritten without a status change leaves the counts', () => {
    const done = evolveJobDevice(null, jobDeviceEvents(aDeviceSucceeded(JOB, 'vm-1'))[0])!;
    const named = evolveJobDevice(done, jobDeviceEvents(aJobTargetsResolved(JOB, ['vm-1']))[0])!;
    expect(isNoChange(countChange(noCounts(), done, named))).toBe(true);
  });

  it('summed over batches in any order and with repeats, equals a count of the rows', () => {
    const targets = aJobTargetsResolved(JOB, ['a', 'b', 'c', 'd']);
    const outcomes = [aDeviceSucceeded(JOB, 'a'), aDeviceFailed(JOB, 'b'), aDeviceSucceeded(JOB, 'e')];
    for (const batches of [
      [[targets], outcomes],
      [outcomes, [targets]],
      [[outcomes[0], targets, outcomes[0]], outcomes, [targets]],
      [[...outcomes, targets, ...outcomes]],
    ]) {
      const { counts, rows } = foldBatches(batches);
      expect(counts).toEqual(countOf(rows));
      expect(counts).toEqual({ total: 5, pending: 2, completed: 2, failed: 1 });
    }
  });
});

describe('sameJobDevice', () => {
  const row: JobDeviceRow = { jobId: JOB, deviceId: 'vm-1', displayName: 'VM 1', status: 'pending', error: null, deleted: false, attempts: null,
    targetedAt: '2026-03-01T10:00:00.000Z', outcomeAt: null };
  const other: JobDeviceRow = { jobId: 'job-2', deviceId: 'vm-2', displayName: null, status: 'failed', error: 'offline', deleted: true, attempts: 2,
    targetedAt: '2026-03-01T10:00:01.000Z', outcomeAt: '2026-03-01T10:00:02.000Z' };

  it('holds for equal values', () => {
    expect(sameJobDevice(row, { ...row })).toBe(true);
  });

  it.each(Object.keys(row) as (keyof JobDeviceRow)[])('sees a different %s', (field) => {
    expect(sameJobDevice(row, { ...row, [field]: other[field] })).toBe(false);
  });
});
