import { Controller, Get, Param, Query } from '@nestjs/common';
import { DEVICE_JOB_STATUSES, DeviceJobStatus } from '@fleetjobs/contracts';
import { IdPipe, NotFoundProblem, Page, ValidationProblem } from '@fleetjobs/http-kit';
import { JobDeviceIdsQuery } from './job-device-ids.query';

const DEFAULT_IDS_PAGE = 5_000;
const MAX_IDS_PAGE = 10_000;

/**
 * Internal: a job's device ids, page by page (`?status=failed&limit=&cursor=`), for job-command's
 * rerun on the failed devices. `{value: [ids], nextCursor}`; 404 when the job is not known yet.
 */
@Controller('internal/jobs')
export class JobDeviceIdsHttpController {
  constructor(private readonly query: JobDeviceIdsQuery) {}

  @Get(':id/device-ids')
  async deviceIds(
    @Param('id', IdPipe) id: string,
    @Query('status') status?: unknown,
    @Query('limit') limit?: unknown,
    @Query('cursor') cursor?: unknown,
  ): Promise<Page<string>> {
    const page = await this.query.page(id, { status: statusOf(status), limit: limitOf(limit), cursor: cursorOf(cursor) });
    if (!page) throw new NotFoundProblem('Job', id);
    return page;
  }
}

function statusOf(raw: unknown): DeviceJobStatus | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (DEVICE_JOB_STATUSES.includes(raw as DeviceJobStatus)) return raw as DeviceJobStatus;
  throw new ValidationProblem([{ field: 'status', message: `must be one of ${DEVICE_JOB_STATUSES.join(', ')}` }]);
}

function limitOf(raw: unknown): number {
  if (raw === undefined || raw === '') return DEFAULT_IDS_PAGE;
  const limit = Number(raw);
  if (Number.isInteger(limit) && limit >= 1 && limit <= MAX_IDS_PAGE) return limit;
  throw new ValidationProblem([{ field: 'limit', message: `must be an integer from 1 to ${MAX_IDS_PAGE}` }]);
}

function cursorOf(raw: unknown): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw === 'string') return raw;
  throw new ValidationProblem([{ field: 'cursor', message: 'must be given once' }]);
}
