import { Inject, Injectable } from '@nestjs/common';
import { queryRows } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { JobStatusChange } from '../jobs/job-moment.projection';
import { JOB_RETENTION_DAYS, PROJECTION_SCHEMA as S } from '../projection.tokens';
import { JobView } from './job.view';
import { JOB_COLUMNS, JobViewRecord, toJobView, VISIBLE } from './job-views.query';
import { knownAt, settledAt } from './moment.sql';

/** A job's device counts at an instant. */
export interface CountsAt {
  total: number;
  completed: number;
  failed: number;
}

/** What a job at an instant is folded from: the job as it is now, and what the read model knows of its past. */
export interface JobHistory {
  view: JobView;
  targetTotal: number | null;
  changes: Pick<JobStatusChange, 'type' | 'at'>[];
  counts: CountsAt;
}

/** The reads behind a job at a past instant (`?at=`). */
@Injectable()
export class JobHistoryQuery {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(JOB_RETENTION_DAYS) private readonly retentionDays: number,
  ) {}

  /**
   * What a visible job's state at `at` is folded from (`jobViewAt`): its row, its status changes up
   * to `at` and its device counts then (one pass over the job's device rows). Null when the job is
   * not visible, `'later'` when it was created after `at`.
   */
  async read(id: string, at: string): Promise<JobHistory | 'later' | null> {
    const rows = await queryRows<JobViewRecord>(
      this.dataSource,
      `SELECT ${JOB_COLUMNS} FROM ${S}.jobs WHERE id = $2 AND ${VISIBLE}`,
      [this.retentionDays, id],
    );
    if (!rows[0]) return null;
    if (rows[0].created_at.getTime() > Date.parse(at)) return 'later';
    const changes = await queryRows<{ type: JobStatusChange['type']; at: Date }>(
      this.dataSource,
      `SELECT type, at FROM ${S}.job_status_changes WHERE job_id = $1 AND at <= $2::timestamptz`,
      [id, at],
    );
    const [counts] = await queryRows<CountsAt>(
      this.dataSource,
      `SELECT count(*) FILTER (WHERE ${knownAt('$2::timestamptz')})::int AS total,
              count(*) FILTER (WHERE ${settledAt('$2::timestamptz')} AND status = 'completed')::int AS completed,
              count(*) FILTER (WHERE ${settledAt('$2::timestamptz')} AND status = 'failed')::int AS failed
         FROM ${S}.job_devices WHERE job_id = $1`,
      [id, at],
    );
    return {
      view: toJobView(rows[0]),
      targetTotal: rows[0].target_total,
      changes: changes.map((change) => ({ type: change.type, at: change.at.toISOString() })),
      counts,
    };
  }

  /** When a visible job was created; null when it is not visible. */
  async createdAt(id: string): Promise<string | null> {
    const rows = await queryRows<{ created_at: Date }>(
      this.dataSource,
      `SELECT created_at FROM ${S}.jobs WHERE id = $2 AND ${VISIBLE}`,
      [this.retentionDays, id],
    );
    return rows[0]?.created_at.toISOString() ?? null;
  }
}
