import { Inject, Injectable } from '@nestjs/common';
import { FleetEvent } from '@fleetjobs/contracts';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource, EntityManager } from 'typeorm';
import { auditEntriesOf } from '../audit/audit.projection';
import { insertAuditEntries } from '../audit/audit-entries.repository';
import { DELETIONS_LOCK } from '../devices/deleted-devices.handler';
import { applyRolloutProgress } from '../rollout/job-rollout.repository';
import { JobChangeNotifier } from './job-change.notifier';
import { countChange, JobCounts, noCounts } from './job-counts.projection';
import { evolveJobDevice, JobDeviceEvent, JobDeviceRow, jobDeviceEvents, sameJobDevice } from './job-device.projection';
import { statusChangesOf } from './job-moment.projection';
import { evolveJob, jobIdOf } from './job.projection';
import {
  deviceKey,
  insertStatusChanges,
  JobWrite,
  loadJobDevices,
  lockJobs,
  markDeletedDevices,
  markDeletedJobDevices,
  updateJobs,
  upsertJobDevices,
} from './job-rows.repository';

/** Device facts held in memory at once; a batch of big target chunks is worked through in slices. */
const SLICE_FACTS = 5000;

const sameRow = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** What the device rows written in one transaction changed, per job. */
interface DeviceChanges {
  counts: Map<string, JobCounts>;
  /** Device rows written for the first time. */
  added: { jobId: string; deviceId: string }[];
}

function* slices(events: FleetEvent[]): Generator<JobDeviceEvent[]> {
  let slice: JobDeviceEvent[] = [];
  for (const event of events) {
    const facts = jobDeviceEvents(event);
    if (slice.length > 0 && slice.length + facts.length > SLICE_FACTS) {
      yield slice;
      slice = [];
    }
    slice.push(...facts);
  }
  if (slice.length > 0) yield slice;
}

/**
 * Applies a batch of job-topic events to the read models in one transaction: the affected job
 * rows are locked, evolved in memory and written back; device rows are loaded, evolved and
 * upserted in bounded slices, and what each written device row changes in its job's counts is
 * added to the stored counts. Writing only what changed makes a redelivered batch a no-op. The
 * batch's commands are recorded in the audit entries, and the jobs' status changes with their
 * event times, in the same transaction.
 */
@Injectable()
export class JobBatchHandler {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly notifier: JobChangeNotifier,
  ) {}

  async apply(events: FleetEvent[]): Promise<void> {
    const jobIds = [...new Set(events.filter((e) => evolveJob(null, e) !== null).map((e) => jobIdOf(e)!))].sort();
    if (jobIds.length === 0) {
      // A batch of no job's events may still hold commands: a schedule's.
      const audited = auditEntriesOf(events);
      if (audited.length > 0) await insertAuditEntries(this.dataSource, audited);
      return;
    }
    const changed = await this.dataSource.transaction((tx) => this.applyInTransaction(tx, jobIds, events));
    this.notifier.publish(changed);
  }

  private async applyInTransaction(tx: EntityManager, jobIds: string[], events: FleetEvent[]): Promise<Set<string>> {
    // Shared with other job batches, exclusive against device deletions (see DeletedDevicesHandler).
    await tx.query('SELECT pg_advisory_xact_lock_shared(hashtext($1))', [DELETIONS_LOCK]);
    const before = await lockJobs(tx, jobIds);
    const jobs = new Map(before);
    for (const event of events) {
      const id = jobIdOf(event);
      if (id === null || !jobs.has(id)) continue;
      const next = evolveJob(jobs.get(id)!, event);
      if (next) jobs.set(id, next);
    }

    const devices: DeviceChanges = { counts: new Map(), added: [] };
    for (const facts of slices(events)) await this.applyDeviceFacts(tx, facts, devices);

    const writes: JobWrite[] = [];
    for (const [id, row] of jobs) {
      const counts = devices.counts.get(id);
      if (counts !== undefined || !sameRow(before.get(id), row)) writes.push({ row, counts: counts ?? noCounts() });
    }
    await updateJobs(tx, writes);
    // The status changes at their own times, so that the job can be shown as it was at any moment.
    const statusChanges = statusChangesOf(events);
    if (statusChanges.length > 0) await insertStatusChanges(tx, statusChanges);
    const rolloutChanged = await applyRolloutProgress(tx, events);
    // A device row can newly qualify as deleted only when it is written for the first time or when
    // its job gets its creation time; a deletion marks the rows that exist when it is applied.
    const created = new Set([...jobs.values()].filter((row) => row.createdAt !== null && before.get(row.id)?.createdAt === null).map((row) => row.id));
    if (created.size > 0) await markDeletedDevices(tx, [...created]);
    const added = devices.added.filter((key) => !created.has(key.jobId));
    if (added.length > 0) await markDeletedJobDevices(tx, added);
    // Commands (events with an actor) are recorded with the job rows they changed.
    const audited = auditEntriesOf(events);
    if (audited.length > 0) await insertAuditEntries(tx, audited);
    return new Set([...writes.map(({ row }) => row.id), ...rolloutChanged]);
  }

  /** Loads, evolves and writes the device rows of one slice, adding what changed to `changes`. */
  private async applyDeviceFacts(tx: EntityManager, facts: JobDeviceEvent[], changes: DeviceChanges): Promise<void> {
    const keys = new Map<string, { jobId: string; deviceId: string }>();
    for (const fact of facts) keys.set(deviceKey(fact.jobId, fact.deviceId), { jobId: fact.jobId, deviceId: fact.deviceId });
    const loaded = await loadJobDevices(tx, [...keys.values()]);
    const rows = new Map<string, JobDeviceRow>(loaded);
    for (const fact of facts) {
      const key = deviceKey(fact.jobId, fact.deviceId);
      const next = evolveJobDevice(rows.get(key) ?? null, fact);
      if (next) rows.set(key, next);
    }
    const changedRows: JobDeviceRow[] = [];
    for (const [key, row] of rows) {
      const was = loaded.get(key) ?? null;
      if (was !== null && sameJobDevice(was, row)) continue;
      changedRows.push(row);
      changes.counts.set(row.jobId, countChange(changes.counts.get(row.jobId) ?? noCounts(), was, row));
      if (was === null) changes.added.push({ jobId: row.jobId, deviceId: row.deviceId });
    }
    await upsertJobDevices(tx, changedRows);
  }
}
