import { Inject, Injectable } from '@nestjs/common';
import { DeviceJobStatus, JobOperation, JobSchedule, JobStatus, Rollout } from '@fleetjobs/contracts';
import { decodeCursor, Page, toPage, ValidationProblem } from '@fleetjobs/http-kit';
import { queryRows } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { ActorRef, JobApproval } from '../jobs/job.projection';
import { toStorableInstant } from '../jobs/projection-time';
import { readRolloutProgress } from '../rollout/job-rollout.repository';
import { JOB_RETENTION_DAYS, PROJECTION_SCHEMA as S } from '../projection.tokens';
import { JobDeviceView, JobView } from './job.view';
import { knownAt, settledAt, statusAt } from './moment.sql';

export interface JobViewRecord {
  id: string;
  rank: number;
  display_name: string;
  description: string;
  device_set: string;
  devices: string[] | null;
  operations: JobOperation[];
  status: JobStatus;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
  target_total: number | null;
  device_count: number;
  pending_count: number;
  completed_count: number;
  failed_count: number;
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
  device_id: string;
  display_name: string | null;
  status: DeviceJobStatus;
  error: string | null;
  deleted: boolean;
  attempts: number | null;
}

export const JOB_COLUMNS = `id, rank, display_name, description, device_set, devices, operations, status, error,
  created_at, started_at, ended_at, target_total, device_count, pending_count, completed_count, failed_count, rollout,
  created_by, stopped_by, approval, rerun_of, revert_of, schedule, start_reached_at, settled_at, waiting_for, released_at, schedule_id, schedule_run`;

/** A job is visible once defined and until the retention after its end has passed. */
export const VISIBLE = `created_at IS NOT NULL AND (ended_at IS NULL OR ended_at >= now() - make_interval(days => $1::int))`;

export function toJobView(r: JobViewRecord): JobView {
  return {
    id: r.id,
    displayName: r.display_name,
    description: r.description,
    deviceSet: r.device_set,
    devices: r.devices,
    operations: r.operations,
    status: r.status,
    waitingFor: r.status === 'pending' && r.released_at === null ? (r.waiting_for ?? []) : [],
    error: r.error,
    createdAt: r.created_at.toISOString(),
    startedAt: r.started_at?.toISOString() ?? null,
    endedAt: r.ended_at?.toISOString() ?? null,
    counts: {
      // Targeting may announce more devices than have rows yet; never show fewer than announced.
      total: Math.max(r.target_total ?? 0, r.device_count),
      pending: r.pending_count,
      completed: r.completed_count,
      failed: r.failed_count,
    },
    rollout: r.rollout,
    rolloutProgress: null,
    createdBy: r.created_by,
    stoppedBy: r.stopped_by,
    approval: r.approval,
    rerunOf: r.rerun_of,
    ...(r.revert_of ? { revertOf: r.revert_of } : {}),
    ...(r.schedule_id ? { scheduleId: r.schedule_id, ...(r.schedule_run !== null ? { scheduleRun: r.schedule_run } : {}) } : {}),
    ...(r.schedule ? { schedule: r.schedule } : {}),
    nextStartAt: r.schedule?.startAt && r.start_reached_at === null && r.started_at === null && r.ended_at === null ? r.schedule.startAt : null,
    settledAt: r.settled_at?.toISOString() ?? null,
  };
}

function toDeviceView(r: JobDeviceRecord): JobDeviceView {
  return { deviceId: r.device_id, displayName: r.display_name, status: r.status, error: r.error, deleted: r.deleted, attempts: r.attempts };
}

function cursorProblem(): ValidationProblem {
  return new ValidationProblem([{ field: 'cursor', message: 'is not a cursor this list gave out' }]);
}

/** `[rank, createdAt, id]` of the last job of the previous page. */
function jobsCursor(raw: string | undefined): [number, string, string] | null {
  const position = decodeCursor(raw, 3);
  if (position === null) return null;
  const [rank, createdAt, id] = position;
  const time = typeof createdAt === 'string' ? toStorableInstant(createdAt) : null;
  if ((rank !== 0 && rank !== 1) || time === null || typeof id !== 'string') throw cursorProblem();
  return [rank, time, id];
}

function devicesCursor(raw: string | undefined): string | null {
  const position = decodeCursor(raw, 1);
  if (position === null) return null;
  if (typeof position[0] !== 'string') throw cursorProblem();
  return position[0];
}

export interface ListJobsOptions {
  status?: JobStatus;
  /** Only the runs of this recurring schedule. */
  scheduleId?: string;
  limit: number;
  cursor?: string;
}

/** The filter of a job's devices. */
export interface DeviceFilter {
  status?: DeviceJobStatus;
  /** Case-insensitive substring of the device id. */
  search?: string;
  /** The devices as they were at this instant: their status then, and only those the job knew then. */
  at?: string;
}

export interface ListJobDevicesOptions extends DeviceFilter {
  limit: number;
  cursor?: string;
}

/** The reads of the jobs read model: one job, the jobs list, a job's devices. */
@Injectable()
export class JobViewsQuery {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(JOB_RETENTION_DAYS) private readonly retentionDays: number,
  ) {}

  async getJob(id: string): Promise<JobView | null> {
    const rows = await queryRows<JobViewRecord>(
      this.dataSource,
      `SELECT ${JOB_COLUMNS} FROM ${S}.jobs WHERE id = $2 AND ${VISIBLE}`,
      [this.retentionDays, id],
    );
    return rows[0] ? (await this.withRolloutProgress([toJobView(rows[0])]))[0] : null;
  }

  /** Pending and running jobs first, then the rest; newest first within each. */
  async listJobs(options: ListJobsOptions): Promise<Page<JobView>> {
    const after = jobsCursor(options.cursor);
    const params: unknown[] = [this.retentionDays, options.limit + 1];
    const where = [VISIBLE];
    if (options.status) {
      params.push(options.status);
      where.push(`status = $${params.length}`);
    }
    if (options.scheduleId) {
      params.push(options.scheduleId);
      where.push(`schedule_id = $${params.length}`);
    }
    if (after) {
      params.push(...after);
      const [r, c, i] = [params.length - 2, params.length - 1, params.length];
      where.push(`(rank > $${r} OR (rank = $${r} AND (created_at, id) < ($${c}::timestamptz, $${i})))`);
    }
    const rows = await queryRows<JobViewRecord>(
      this.dataSource,
      `SELECT ${JOB_COLUMNS} FROM ${S}.jobs WHERE ${where.join(' AND ')}
        ORDER BY rank, created_at DESC, id DESC LIMIT $2`,
      params,
    );
    const page = toPage(rows, options.limit, toJobView, (r) => [r.rank, r.created_at.toISOString(), r.id]);
    return { ...page, value: await this.withRolloutProgress(page.value) };
  }

  /** The views with their rollout's progress, read in one pass for the whole page. */
  private async withRolloutProgress(views: JobView[]): Promise<JobView[]> {
    const progress = await readRolloutProgress(this.dataSource, views.filter((view) => view.rollout !== null).map((view) => view.id));
    return views.map((view) => ({ ...view, rolloutProgress: progress.get(view.id) ?? null }));
  }

  /**
   * A job's devices by device id; null when the job is not visible. The search walks the job's
   * rows in id order (the primary key) and stops once the page is full, so it costs at most one
   * pass over one job's devices without needing a trigram index.
   */
  async listJobDevices(jobId: string, options: ListJobDevicesOptions): Promise<Page<JobDeviceView> | null> {
    const after = devicesCursor(options.cursor);
    if (!(await this.jobIsVisible(jobId))) return null;
    const rows = await this.readDevices(jobId, options, after, options.limit + 1);
    return toPage(rows, options.limit, toDeviceView, (r) => [r.device_id]);
  }

  /**
   * All of a job's devices that pass the filter, in pages of `pageSize` read by keyset (after the
   * last device id), so that memory stays flat however many devices the job has. The caller
   * checks that the job is visible first.
   */
  async *jobDevicePages(jobId: string, filter: DeviceFilter, pageSize = 1000): AsyncGenerator<JobDeviceView[]> {
    let after: string | null = null;
    for (;;) {
      const rows = await this.readDevices(jobId, filter, after, pageSize);
      if (rows.length > 0) yield rows.map(toDeviceView);
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1].device_id;
    }
  }

  private readDevices(jobId: string, filter: DeviceFilter, after: string | null, limit: number): Promise<JobDeviceRecord[]> {
    const params: unknown[] = [jobId, limit];
    const where = ['job_id = $1'];
    let columns = 'device_id, display_name, status, error, deleted, attempts';
    let status = 'status';
    if (filter.at) {
      params.push(filter.at);
      const at = `$${params.length}::timestamptz`;
      where.push(knownAt(at));
      status = statusAt(at);
      columns = `device_id, display_name, ${status} AS status, CASE WHEN ${settledAt(at)} THEN error END AS error, deleted,
                 CASE WHEN ${settledAt(at)} THEN attempts END AS attempts`;
    }
    if (filter.status) {
      params.push(filter.status);
      where.push(`${status} = $${params.length}`);
    }
    if (filter.search) {
      params.push(filter.search.toLowerCase());
      where.push(`strpos(lower(device_id), $${params.length}) > 0`);
    }
    if (after !== null) {
      params.push(after);
      where.push(`device_id > $${params.length}`);
    }
    return queryRows<JobDeviceRecord>(
      this.dataSource,
      `SELECT ${columns} FROM ${S}.job_devices
        WHERE ${where.join(' AND ')} ORDER BY device_id LIMIT $2`,
      params,
    );
  }

  async jobIsVisible(id: string): Promise<boolean> {
    const rows = await queryRows(this.dataSource, `SELECT 1 FROM ${S}.jobs WHERE id = $2 AND ${VISIBLE}`, [this.retentionDays, id]);
    return rows.length > 0;
  }
}
