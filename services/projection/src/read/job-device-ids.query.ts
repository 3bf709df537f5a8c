import { Inject, Injectable } from '@nestjs/common';
import { DeviceJobStatus } from '@fleetjobs/contracts';
import { decodeCursor, Page, toPage, ValidationProblem } from '@fleetjobs/http-kit';
import { queryRows } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { PROJECTION_SCHEMA as S } from '../projection.tokens';

/** The ids of a job's devices, in id order, for the services (a rerun on the failed devices). */
@Injectable()
export class JobDeviceIdsQuery {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** One page of the job's device ids (only those with `status` when given); null when the job is not known. */
  async page(jobId: string, options: { status?: DeviceJobStatus; limit: number; cursor?: string }): Promise<Page<string> | null> {
    const after = afterDevice(options.cursor);
    const known = await queryRows(this.dataSource, `SELECT 1 FROM ${S}.jobs WHERE id = $1 AND created_at IS NOT NULL`, [jobId]);
    if (known.length === 0) return null;
    const params: unknown[] = [jobId, options.limit + 1];
    const where = ['job_id = $1'];
    if (options.status) {
      params.push(options.status);
      where.push(`status = $${params.length}`);
    }
    if (after !== null) {
      params.push(after);
      where.push(`device_id > $${params.length}`);
    }
    const rows = await queryRows<{ device_id: string }>(
      this.dataSource,
      `SELECT device_id FROM ${S}.job_devices WHERE ${where.join(' AND ')} ORDER BY device_id LIMIT $2`,
      params,
    );
    return toPage(rows, options.limit, (r) => r.device_id, (r) => [r.device_id]);
  }
}

function afterDevice(raw: string | undefined): string | null {
  const position = decodeCursor(raw, 1);
  if (position === null) return null;
  if (typeof position[0] !== 'string') throw new ValidationProblem([{ field: 'cursor', message: 'is not a cursor this list gave out' }]);
  return position[0];
}
