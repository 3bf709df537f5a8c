import { JobOperation, JobSchedule, JobStatus, DeviceJobStatus, Rollout } from '@fleetjobs/contracts';
import { queryPrepared, SqlExecutor } from '@fleetjobs/persistence-pg';
import { PROJECTION_SCHEMA as S } from '../projection.tokens';
import { JobCounts } from './job-counts.projection';
import { JobDeviceRow } from './job-device.projection';
import { JobStatusChange } from './job-moment.projection';
import { ActorRef, JobApproval, JobRow } from './job.projection';

/** Rows per write statement: big enough to amortise a round trip, small enough to stay cheap. */
export const WRITE_CHUNK = 1000;

interface JobRecord {
  id: string;
  display_name: string;
  description: string;
  device_set: string;
  devices: string[] | null;
  operations: JobOperation[];
  status: JobStatus;
  error: string | null;
  created_at: Date | null;
  started_at: Date | null;
  ended_at: Date | null;
  target_total: number | null;
  rollout: Rollout | null;
  created_by: ActorRef | null;
  stopped_by: ActorRef | null;
  approval: JobApproval | null;
  rerun_of: string | null;
  revert_of: string | null;
  schedule_id: string | null;
  schedule_run: number | null;
  schedule: JobSchedule | null;
  start_reached_at: Date | null;
  waiting_for: string[] | null;
  released_at: Date | null;
  settled_at: Date | null;
}

interface JobDeviceRecord {
  job_id: string;
  device_id: string;
  display_name: string | null;
  status: DeviceJobStatus;
  error: string | null;
  deleted: boolean;
  attempts: number | null;
  targeted_at: Date | null;
  outcome_at: Date | null;
}

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

function toJobRow(record: JobRecord): JobRow {
  return {
    id: record.id,
    displayName: record.display_name,
    description: record.description,
    deviceSet: record.device_set,
    devices: record.devices,
    operations: record.operations,
    status: record.status,
    error: record.error,
    createdAt: iso(record.created_at),
    startedAt: iso(record.started_at),
    endedAt: iso(record.ended_at),
    targetTotal: record.target_total,
    rollout: record.rollout,
    createdBy: record.created_by,
    stoppedBy: record.stopped_by,
    approval: record.approval,
    rerunOf: record.rerun_of,
    revertOf: record.revert_of,
    scheduleId: record.schedule_id,
    scheduleRun: record.schedule_run,
    schedule: record.schedule,
    startReachedAt: iso(record.start_reached_at),
    waitingFor: record.waiting_for ?? [],
    releasedAt: iso(record.released_at),
    settledAt: iso(record.settled_at),
  };
}

function toJobDeviceRow(record: JobDeviceRecord): JobDeviceRow {
  return {
    jobId: record.job_id,
    deviceId: record.device_id,
    displayName: record.display_name,
    status: record.status,
    error: record.error,
    deleted: record.deleted,
    attempts: record.attempts,
    targetedAt: iso(record.targeted_at),
    outcomeAt: iso(record.outcome_at),
  };
}

export const deviceKey = (jobId: string, deviceId: string): string => `${jobId}\u0000${deviceId}`;

function chunks<T>(items: T[], size = WRITE_CHUNK): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/**
 * Creates the missing job rows as placeholders and locks every given job row until the
 * transaction ends, in id order so that concurrent batches cannot deadlock. Work on a job's
 * device rows happens under this lock, so two consumers never interleave on one job.
 */
export async function lockJobs(tx: SqlExecutor, jobIds: string[]): Promise<Map<string, JobRow>> {
  await queryPrepared(
    tx,
    `INSERT INTO ${S}.jobs (id) SELECT id FROM unnest($1::text[]) AS t(id) ORDER BY id ON CONFLICT (id) DO NOTHING`,
    [jobIds],
  );
  const records = await queryPrepared<JobRecord>(
    tx,
    `SELECT id, display_name, description, device_set, devices, operations, status, error,
            created_at, started_at, ended_at, target_total, rollout, created_by, stopped_by, approval, rerun_of, revert_of, schedule, start_reached_at, settled_at,
            waiting_for, released_at, schedule_id, schedule_run
       FROM ${S}.jobs WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
    [jobIds],
  );
  return new Map(records.map((record) => [record.id, toJobRow(record)]));
}

/** A job row to write back, and what its device writes changed in its counts. */
export interface JobWrite {
  row: JobRow;
  counts: JobCounts;
}

/**
 * Writes the job rows and adds the count changes to the stored counts; the rows must be locked
 * (`lockJobs`) since the device rows whose changes are counted were written.
 */
export async function updateJobs(tx: SqlExecutor, writes: JobWrite[]): Promise<void> {
  for (const part of chunks(writes)) {
    // Written once, from JobCreated: only a revert job carries it.
    const reverts = part.filter(({ row }) => row.revertOf);
    if (reverts.length > 0) {
      await queryPrepared(tx, `UPDATE ${S}.jobs AS j SET revert_of = v.revert_of FROM unnest($1::text[], $2::text[]) AS v(id, revert_of) WHERE j.id = v.id`, [
        reverts.map(({ row }) => row.id),
        reverts.map(({ row }) => row.revertOf),
      ]);
    }
    // Written once, from JobCreated: only a schedule's run carries them.
    const runs = part.filter(({ row }) => row.scheduleId);
    if (runs.length > 0) {
      await queryPrepared(
        tx,
        `UPDATE ${S}.jobs AS j SET schedule_id = v.schedule_id, schedule_run = v.schedule_run FROM unnest($1::text[], $2::text[], $3::int[]) AS v(id, schedule_id, schedule_run) WHERE j.id = v.id`,
        [runs.map(({ row }) => row.id), runs.map(({ row }) => row.scheduleId), runs.map(({ row }) => row.scheduleRun ?? null)],
      );
    }
    await queryPrepared(
      tx,
      `UPDATE ${S}.jobs AS j SET
         display_name = v.display_name, description = v.description, device_set = v.device_set,
         devices = v.devices::jsonb, operations = v.operations::jsonb, status = v.status, error = v.error,
         created_at = v.created_at, started_at = v.started_at, ended_at = v.ended_at,
         target_total = v.target_total, rollout = v.rollout::jsonb,
         created_by = v.created_by::jsonb, stopped_by = v.stopped_by::jsonb, approval = v.approval::jsonb, rerun_of = v.rerun_of,
         settled_at = v.settled_at, waiting_for = v.waiting_for::jsonb, released_at = v.released_at,
         device_count = j.device_count + v.total, pending_count = j.pending_count + v.pending,
         completed_count = j.completed_count + v.completed, failed_count = j.failed_count + v.failed,
         updated_at = now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                   $9::timestamptz[], $10::timestamptz[], $11::timestamptz[], $12::int[], $13::text[],
                   $14::int[], $15::int[], $16::int[], $17::int[], $18::text[], $19::text[], $20::text[], $21::text[], $22::timestamptz[],
                   $23::text[], $24::timestamptz[])
         AS v(id, display_name, description, device_set, devices, operations, status, error,
              created_at, started_at, ended_at, target_total, rollout, total, pending, completed, failed,
              created_by, stopped_by, approval, rerun_of, settled_at, waiting_for, released_at)
       WHERE j.id = v.id`,
      [
        part.map(({ row }) => row.id),
        part.map(({ row }) => row.displayName),
        part.map(({ row }) => row.description),
        part.map(({ row }) => row.deviceSet),
        part.map(({ row }) => (row.devices === null ? null : JSON.stringify(row.devices))),
        part.map(({ row }) => JSON.stringify(row.operations)),
        part.map(({ row }) => row.status),
        part.map(({ row }) => row.error),
        part.map(({ row }) => row.createdAt),
        part.map(({ row }) => row.startedAt),
        part.map(({ row }) => row.endedAt),
        part.map(({ row }) => row.targetTotal),
        part.map(({ row }) => (row.rollout === null ? null : JSON.stringify(row.rollout))),
        part.map(({ counts }) => counts.total),
        part.map(({ counts }) => counts.pending),
        part.map(({ counts }) => counts.completed),
        part.map(({ counts }) => counts.failed),
        part.map(({ row }) => (row.createdBy === null ? null : JSON.stringify(row.createdBy))),
        part.map(({ row }) => (row.stoppedBy === null ? null : JSON.stringify(row.stoppedBy))),
        part.map(({ row }) => (row.approval === null ? null : JSON.stringify(row.approval))),
        part.map(({ row }) => row.rerunOf),
        part.map(({ row }) => row.settledAt),
        part.map(({ row }) => (row.waitingFor.length === 0 ? null : JSON.stringify(row.waitingFor))),
        part.map(({ row }) => row.releasedAt),
      ],
    );
    await queryPrepared(
      tx,
      `UPDATE ${S}.jobs AS j SET schedule = v.schedule::jsonb, start_reached_at = v.start_reached_at
         FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS v(id, schedule, start_reached_at)
        WHERE j.id = v.id AND (v.schedule IS NOT NULL OR v.start_reached_at IS NOT NULL)`,
      [
        part.map(({ row }) => row.id),
        part.map(({ row }) => (row.schedule === null ? null : JSON.stringify(row.schedule))),
        part.map(({ row }) => row.startReachedAt),
      ],
    );
  }
}

/** The existing device rows among the given keys, keyed by `deviceKey`. */
export async function loadJobDevices(
  tx: SqlExecutor,
  keys: { jobId: string; deviceId: string }[],
): Promise<Map<string, JobDeviceRow>> {
  const found = new Map<string, JobDeviceRow>();
  for (const part of chunks(keys, 5 * WRITE_CHUNK)) {
    const records = await queryPrepared<JobDeviceRecord>(
      tx,
      `SELECT d.job_id, d.device_id, d.display_name, d.status, d.error, d.deleted, d.attempts, d.targeted_at, d.outcome_at
         FROM ${S}.job_devices d
         JOIN unnest($1::text[], $2::text[]) AS k(job_id, device_id) ON d.job_id = k.job_id AND d.device_id = k.device_id`,
      [part.map((k) => k.jobId), part.map((k) => k.deviceId)],
    );
    for (const record of records) found.set(deviceKey(record.job_id, record.device_id), toJobDeviceRow(record));
  }
  return found;
}

export async function upsertJobDevices(tx: SqlExecutor, rows: JobDeviceRow[]): Promise<void> {
  for (const part of chunks(rows)) {
    await queryPrepared(
      tx,
      `INSERT INTO ${S}.job_devices AS d (job_id, device_id, display_name, status, error, deleted, attempts, targeted_at, outcome_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::int[],
                            $8::timestamptz[], $9::timestamptz[])
       ON CONFLICT (job_id, device_id) DO UPDATE SET
         display_name = EXCLUDED.display_name, status = EXCLUDED.status, error = EXCLUDED.error,
         deleted = d.deleted OR EXCLUDED.deleted, attempts = EXCLUDED.attempts,
         targeted_at = EXCLUDED.targeted_at, outcome_at = EXCLUDED.outcome_at`,
      [
        part.map((r) => r.jobId),
        part.map((r) => r.deviceId),
        part.map((r) => r.displayName),
        part.map((r) => r.status),
        part.map((r) => r.error),
        part.map((r) => r.deleted),
        part.map((r) => r.attempts),
        part.map((r) => r.targetedAt),
        part.map((r) => r.outcomeAt),
      ],
    );
  }
}

/**
 * Marks those of these device rows whose device was deleted after their job was created. Only the
 * given rows are looked at, never the rest of their jobs: rows first written by a batch cost that
 * batch, however big the job. The deletions among them are found first, and without any the rows
 * are not read at all (whatever plan the tables' statistics give).
 */
export async function markDeletedJobDevices(tx: SqlExecutor, keys: { jobId: string; deviceId: string }[]): Promise<void> {
  for (const part of chunks(keys, 5 * WRITE_CHUNK)) {
    await queryPrepared(
      tx,
      `WITH gone AS MATERIALIZED (
         SELECT device_id, deleted_at FROM ${S}.deleted_devices WHERE device_id = ANY($2::text[])
       )
       UPDATE ${S}.job_devices AS jd SET deleted = true
         FROM unnest($1::text[], $2::text[]) AS k(job_id, device_id), gone dd, ${S}.jobs j
        WHERE EXISTS (SELECT 1 FROM gone) AND dd.device_id = k.device_id
          AND jd.job_id = k.job_id AND jd.device_id = k.device_id AND NOT jd.deleted
          AND j.id = jd.job_id AND j.created_at < dd.deleted_at`,
      [part.map((k) => k.jobId), part.map((k) => k.deviceId)],
    );
  }
}

/** Marks the devices of these jobs that were deleted after the job was created. */
export async function markDeletedDevices(tx: SqlExecutor, jobIds: string[]): Promise<void> {
  await queryPrepared(
    tx,
    `UPDATE ${S}.job_devices AS jd SET deleted = true
       FROM ${S}.deleted_devices dd, ${S}.jobs j
      WHERE jd.job_id = ANY($1::text[]) AND jd.device_id = dd.device_id AND NOT jd.deleted
        AND j.id = jd.job_id AND j.created_at < dd.deleted_at`,
    [jobIds],
  );
}

/** Records the jobs' status changes; a change already recorded (the same event) is skipped. */
export async function insertStatusChanges(tx: SqlExecutor, changes: JobStatusChange[]): Promise<void> {
  for (const part of chunks(changes)) {
    await queryPrepared(
      tx,
      `INSERT INTO ${S}.job_status_changes (job_id, event_id, type, at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
       ON CONFLICT (job_id, event_id) DO NOTHING`,
      [part.map((c) => c.jobId), part.map((c) => c.eventId), part.map((c) => c.type), part.map((c) => c.at)],
    );
  }
}
