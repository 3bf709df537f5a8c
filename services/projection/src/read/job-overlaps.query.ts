import { Inject, Injectable } from '@nestjs/common';
import type { JobOperation, JobStatus } from '@fleetjobs/contracts';
import { queryRows } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { PROJECTION_SCHEMA as S } from '../projection.tokens';

/** Jobs that still run or will: the ones another job's devices can overlap with. */
export const ACTIVE_JOB_STATUSES: readonly JobStatus[] = ['pending', 'running', 'paused'];

/** An active job holding some of the devices asked about. */
export interface JobOverlapRow {
  jobId: string;
  displayName: string;
  status: JobStatus;
  /** What the job does, without the values: enough to tell whether two jobs write the same thing. */
  operations: Pick<JobOperation, 'type' | 'name'>[];
  sharedDevices: number;
}

/**
 * Which active jobs hold which of a page of device ids, counted per job. One page costs one probe
 * of `job_devices_by_device` per id; a job's devices are known here once its targets are
 * projected, so a job still resolving its targets shows the devices projected so far.
 */
@Injectable()
export class JobOverlapsQuery {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async among(deviceIds: readonly string[], excludeJobId: string | null): Promise<JobOverlapRow[]> {
    if (deviceIds.length === 0) return [];
    const rows = await queryRows<{ id: string; display_name: string; status: JobStatus; operations: JobOperation[]; shared: number }>(
      this.dataSource,
      `SELECT j.id, j.display_name, j.status, j.operations, count(*)::int AS shared
         FROM ${S}.job_devices d
         JOIN ${S}.jobs j ON j.id = d.job_id
        WHERE d.device_id = ANY($1::text[])
          AND j.status = ANY($2::text[])
          AND j.created_at IS NOT NULL
          AND j.id IS DISTINCT FROM $3
        GROUP BY j.id, j.display_name, j.status, j.operations
        ORDER BY j.id`,
      [[...new Set(deviceIds)], ACTIVE_JOB_STATUSES, excludeJobId],
    );
    return rows.map((row) => ({
      jobId: row.id,
      displayName: row.display_name,
      status: row.status,
      operations: (row.operations ?? []).map(({ type, name }) => ({ type, name })),
      sharedDevices: row.shared,
    }));
  }
}
