import { DataSource } from 'typeorm';
import { queryRows } from '@fleetjobs/persistence-pg';
import { toSqlPredicate } from '../device-query.parser';
import { DeviceJobsQuery } from '../device-jobs-query.parser';
import {
  ACTIVE_JOB_STATUSES,
  DeviceJobRecord,
  DeviceJobStatus,
  HubJobRecord,
  HubJobSpec,
  HubJobStatus,
  HubJobType,
  JobMethod,
} from '../hub-job.document';
import { JsonObject } from '../twin-document';
import { DEVICES } from './device-row';

const JOBS = 'hub_simulator.jobs';
const JOB_DEVICES = 'hub_simulator.job_devices';
/** Serializes job creation, so that two creations cannot both take the last free slot. */
const CREATE_LOCK_KEY = 7_348_201_552;

interface JobRow {
  job_id: string;
  type: HubJobType;
  query_condition: string;
  update_twin: JsonObject | null;
  cloud_to_device_method: JobMethod | null;
  status: HubJobStatus;
  created_time: Date;
  start_time: Date;
  end_time: Date | null;
  max_execution_seconds: number;
  failure_reason: string | null;
  status_message: string | null;
}

interface DeviceJobRow {
  job_id: string;
  type: HubJobType;
  created_time: Date;
  device_id: string;
  status: DeviceJobStatus;
  start_time: Date | null;
  end_time: Date | null;
  updated_at: Date;
  outcome: JsonObject | null;
  error: JsonObject | null;
}

export type CreateJobResult = { outcome: 'created'; job: HubJobRecord } | { outcome: 'exists' } | { outcome: 'too-many'; limit: number };

/** One device's result, written when its operation ended. */
export interface DeviceJobOutcome {
  deviceId: string;
  status: 'completed' | 'failed' | 'cancelled';
  startTime: Date | null;
  endTime: Date;
  outcome: JsonObject | null;
  error: JsonObject | null;
}

/** Jobs and their devices' results (`hub_simulator.jobs`, `hub_simulator.job_devices`). */
export class HubJobStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Creates the job unless its id is taken or `maxActive` jobs are already active. */
  async create(spec: HubJobSpec, maxActive: number): Promise<CreateJobResult> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [CREATE_LOCK_KEY]);
      const [existing] = await queryRows<{ job_id: string }>(manager, `SELECT job_id FROM ${JOBS} WHERE job_id = $1`, [spec.jobId]);
      if (existing) return { outcome: 'exists' };
      const [active] = await queryRows<{ count: string }>(manager, `SELECT count(*) AS count FROM ${JOBS} WHERE status = ANY($1::text[])`, [
        ACTIVE_JOB_STATUSES,
      ]);
      if (Number(active.count) >= maxActive) return { outcome: 'too-many', limit: maxActive };
      const [row] = await queryRows<JobRow>(
        manager,
        `INSERT INTO ${JOBS} (job_id, type, query_condition, update_twin, cloud_to_device_method, status, start_time, max_execution_seconds)
         VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, 'queued', $6, $7) RETURNING *`,
        [
          spec.jobId,
          spec.type,
          spec.queryCondition,
          spec.updateTwin ? JSON.stringify(patchBody(spec.updateTwin)) : null,
          spec.method ? JSON.stringify(spec.method) : null,
          spec.startTime,
          spec.maxExecutionSeconds,
        ],
      );
      return { outcome: 'created', job: recordOf(row, {}) };
    });
  }

  async get(jobId: string): Promise<HubJobRecord | null> {
    const [row] = await queryRows<JobRow>(this.dataSource, `SELECT * FROM ${JOBS} WHERE job_id = $1`, [jobId]);
    return row ? recordOf(row, await this.counts(jobId)) : null;
  }

  /** Jobs by id, optionally of one type and status; `afterJobId` continues a previous page. */
  async list(filter: { type?: string; status?: string }, pageSize: number, afterJobId: string | null): Promise<{ jobs: HubJobRecord[]; more: boolean }> {
    const rows = await queryRows<JobRow>(
      this.dataSource,
      `SELECT * FROM ${JOBS} WHERE ($1::text IS NULL OR type = $1) AND ($2::text IS NULL OR status = $2)
         AND ($3::text IS NULL OR job_id > $3) ORDER BY job_id LIMIT $4`,
      [filter.type ?? null, filter.status ?? null, afterJobId, pageSize + 1],
    );
    const page = rows.slice(0, pageSize);
    const jobs = await Promise.all(page.map(async (row) => recordOf(row, await this.counts(row.job_id))));
    return { jobs, more: rows.length > pageSize };
  }

  /** Jobs a restarted hub must carry on with. */
  async activeJobIds(): Promise<string[]> {
    const rows = await queryRows<{ job_id: string }>(this.dataSource, `SELECT job_id FROM ${JOBS} WHERE status = ANY($1::text[]) ORDER BY created_time`, [
      ACTIVE_JOB_STATUSES,
    ]);
    return rows.map((row) => row.job_id);
  }

  async setStatus(jobId: string, status: HubJobStatus, extra: { end?: boolean; failureReason?: string; statusMessage?: string } = {}): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${JOBS} SET status = $2, end_time = CASE WHEN $3 THEN now() ELSE end_time END,
         failure_reason = coalesce($4, failure_reason), status_message = coalesce($5, status_message)
       WHERE job_id = $1 AND status = ANY($6::text[])`,
      [jobId, status, extra.end ?? false, extra.failureReason ?? null, extra.statusMessage ?? null, ACTIVE_JOB_STATUSES],
    );
  }

  /**
   * Starts the job: marks it running and takes the devices its condition selects now, in one
   * transaction and only once (a job already running keeps its devices, whatever joined the fleet
   * since). Answers whether this call started it.
   */
  async startRunning(jobId: string, spec: Pick<HubJobSpec, 'query'>): Promise<boolean> {
    const predicate = toSqlPredicate(spec.query, 2);
    return this.dataSource.transaction(async (manager) => {
      const started = await queryRows<{ job_id: string }>(
        manager,
        `UPDATE ${JOBS} SET status = 'running' WHERE job_id = $1 AND status IN ('queued', 'scheduled') RETURNING job_id`,
        [jobId],
      );
      if (started.length === 0) return false;
      await manager.query(
        `INSERT INTO ${JOB_DEVICES} (job_id, device_id, seq, status)
         SELECT $1, id, row_number() OVER (ORDER BY id), 'pending' FROM ${DEVICES} WHERE ${predicate.sql}`,
        [jobId, ...predicate.params],
      );
      return true;
    });
  }

  /** Marks up to `limit` pending devices running, in order, and answers them. */
  async claim(jobId: string, limit: number): Promise<string[]> {
    const rows = await queryRows<{ device_id: string; seq: number }>(
      this.dataSource,
      `UPDATE ${JOB_DEVICES} SET status = 'running', updated_at = now()
       WHERE job_id = $1 AND device_id IN (
         SELECT device_id FROM ${JOB_DEVICES} WHERE job_id = $1 AND status = 'pending' ORDER BY seq LIMIT $2)
       RETURNING device_id, seq`,
      [jobId, limit],
    );
    return rows.sort((a, b) => a.seq - b.seq).map((row) => row.device_id);
  }

  /** Hands claimed devices back, untouched, for a later run. */
  async release(jobId: string, deviceIds: readonly string[]): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${JOB_DEVICES} SET status = 'pending', updated_at = now() WHERE job_id = $1 AND device_id = ANY($2::text[]) AND status = 'running'`,
      [jobId, deviceIds],
    );
  }

  async recordOutcomes(jobId: string, outcomes: readonly DeviceJobOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await this.dataSource.query(
      `UPDATE ${JOB_DEVICES} d SET status = o.status, start_time = o.start_time, end_time = o.end_time, outcome = o.outcome,
         error = o.error, updated_at = now()
       FROM jsonb_to_recordset($2::jsonb) AS o(device_id text, status text, start_time timestamptz, end_time timestamptz, outcome jsonb, error jsonb)
       WHERE d.job_id = $1 AND d.device_id = o.device_id`,
      [
        jobId,
        JSON.stringify(
          outcomes.map((o) => ({ device_id: o.deviceId, status: o.status, start_time: o.startTime, end_time: o.endTime, outcome: o.outcome, error: o.error })),
        ),
      ],
    );
  }

  /** Ends the devices still in `statuses` (a cancel, a job out of time, a restart mid-operation). */
  async endDevices(jobId: string, statuses: DeviceJobStatus[], status: DeviceJobStatus, error: JsonObject | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${JOB_DEVICES} SET status = $3, error = $4::jsonb, end_time = now(), updated_at = now()
       WHERE job_id = $1 AND status = ANY($2::text[])`,
      [jobId, statuses, status, error ? JSON.stringify(error) : null],
    );
  }

  /** `devices.jobs` rows matching the query, ordered by job and device; `after` continues a previous page. */
  async deviceJobs(query: DeviceJobsQuery, pageSize: number, after: { jobId: string; deviceId: string } | null): Promise<{ rows: DeviceJobRecord[]; more: boolean }> {
    const column = { jobId: 'd.job_id', deviceId: 'd.device_id', status: 'd.status', jobType: 'j.type' } as const;
    const params: unknown[] = [];
    const conditions = query.conditions.map((condition) => {
      params.push(condition.value);
      return `${column[condition.field]} = $${params.length}`;
    });
    if (after) {
      params.push(after.jobId, after.deviceId);
      conditions.push(`(d.job_id, d.device_id) > ($${params.length - 1}, $${params.length})`);
    }
    params.push(pageSize + 1);
    const rows = await queryRows<DeviceJobRow>(
      this.dataSource,
      `SELECT d.job_id, j.type, j.created_time, d.device_id, d.status, d.start_time, d.end_time, d.updated_at, d.outcome, d.error
       FROM ${JOB_DEVICES} d JOIN ${JOBS} j ON j.job_id = d.job_id
       ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
       ORDER BY d.job_id, d.device_id LIMIT $${params.length}`,
      params,
    );
    return {
      rows: rows.slice(0, pageSize).map((row) => ({
        jobId: row.job_id,
        jobType: row.type,
        jobCreatedTime: new Date(row.created_time),
        deviceId: row.device_id,
        status: row.status,
        startTime: row.start_time ? new Date(row.start_time) : null,
        endTime: row.end_time ? new Date(row.end_time) : null,
        updatedAt: new Date(row.updated_at),
        outcome: row.outcome,
        error: row.error,
      })),
      more: rows.length > pageSize,
    };
  }

  private async counts(jobId: string): Promise<Partial<Record<DeviceJobStatus, number>>> {
    const rows = await queryRows<{ status: DeviceJobStatus; count: string }>(
      this.dataSource,
      `SELECT status, count(*) AS count FROM ${JOB_DEVICES} WHERE job_id = $1 GROUP BY status`,
      [jobId],
    );
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
  }
}

function patchBody(patch: HubJobSpec['updateTwin']): JsonObject {
  return {
    ...(patch?.tags ? { tags: patch.tags } : {}),
    ...(patch?.desired ? { properties: { desired: patch.desired } } : {}),
  };
}

function recordOf(row: JobRow, counts: Partial<Record<DeviceJobStatus, number>>): HubJobRecord {
  return {
    jobId: row.job_id,
    type: row.type,
    queryCondition: row.query_condition,
    updateTwin: row.update_twin,
    method: row.cloud_to_device_method,
    status: row.status,
    createdTime: new Date(row.created_time),
    startTime: new Date(row.start_time),
    endTime: row.end_time ? new Date(row.end_time) : null,
    maxExecutionSeconds: row.max_execution_seconds,
    failureReason: row.failure_reason,
    statusMessage: row.status_message,
    counts,
  };
}
