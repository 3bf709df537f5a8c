import { Inject, Injectable } from '@nestjs/common';
import { FleetEvent } from '@fleetjobs/contracts';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource, EntityManager } from 'typeorm';
import { DELETIONS_LOCK } from '../devices/deleted-devices.handler';
import { applyRolloutProgress } from '../rollout/job-rollout.repository';
import { JobChangeNotifier } from './job-change.notifier';
import { evolveJobDevice, JobDeviceEvent, JobDeviceRow, jobDeviceEvents } from './job-device.projection';
import { evolveJob, jobIdOf } from './job.projection';
import {
  deviceKey,
  loadJobDevices,
  lockJobs,
  markDeletedDevices,
  recountJobs,
  updateJobs,
  upsertJobDevices,
} from './job-rows.repository';

/** Device facts held in memory at once; a batch of big target chunks is worked through in slices. */
const SLICE_FACTS = 5000;

const sameRow = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

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
 * upserted in bounded slices; counts are recomputed in SQL for the jobs whose devices changed.
 * Writing only what changed makes a redelivered batch a no-op.
 */
@Injectable()
export class JobBatchHandler {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly notifier: JobChangeNotifier,
  ) {}

  async apply(events: FleetEvent[]): Promise<void> {
    const jobIds = [...new Set(events.filter((e) => evolveJob(null, e) !== null).map((e) => jobIdOf(e)!))].sort();
    if (jobIds.length === 0) return;
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

    const devicesChanged = new Set<string>();
    for (const facts of slices(events)) {
      for (const jobId of await this.applyDeviceFacts(tx, facts)) devicesChanged.add(jobId);
    }

    const jobsChanged = [...jobs.values()].filter((row) => !sameRow(before.get(row.id), row));
    await updateJobs(tx, jobsChanged);
    const rolloutChanged = await applyRolloutProgress(tx, events);
    const changed = new Set([...jobsChanged.map((row) => row.id), ...devicesChanged, ...rolloutChanged]);
    if (changed.size > 0) await markDeletedDevices(tx, [...changed]);
    if (devicesChanged.size > 0) await recountJobs(tx, [...devicesChanged]);
    return changed;
  }

  /** Returns the jobs whose device rows changed. */
  private async applyDeviceFacts(tx: EntityManager, facts: JobDeviceEvent[]): Promise<Set<string>> {
    const keys = new Map<string, { jobId: string; deviceId: string }>();
    for (const fact of facts) keys.set(deviceKey(fact.jobId, fact.deviceId), { jobId: fact.jobId, deviceId: fact.deviceId });
    const loaded = await loadJobDevices(tx, [...keys.values()]);
    const rows = new Map<string, JobDeviceRow>(loaded);
    for (const fact of facts) {
      const key = deviceKey(fact.jobId, fact.deviceId);
      const next = evolveJobDevice(rows.get(key) ?? null, fact);
      if (next) rows.set(key, next);
    }
    const changedRows = [...rows.entries()].filter(([key, row]) => !sameRow(loaded.get(key), row)).map(([, row]) => row);
    await upsertJobDevices(tx, changedRows);
    return new Set(changedRows.map((row) => row.jobId));
  }
}
