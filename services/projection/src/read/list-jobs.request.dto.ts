import { JOB_STATUSES, JobStatus } from '@fleetjobs/contracts';
import { IsIn, IsString, ValidateIf } from 'class-validator';
import { IsId } from '@fleetjobs/http-kit';

const given = (value: unknown) => value !== undefined && value !== '';

/** Query of `GET /api/jobs`; an empty parameter counts as absent. */
export class ListJobsQuery {
  @ValidateIf((q: ListJobsQuery) => given(q.status))
  @IsIn(JOB_STATUSES, { message: `must be one of ${JOB_STATUSES.join(', ')}` })
  status?: JobStatus;

  /** Only the runs of this recurring schedule. */
  @ValidateIf((q: ListJobsQuery) => given(q.scheduleId))
  @IsId()
  scheduleId?: string;

  @ValidateIf((q: ListJobsQuery) => given(q.limit))
  @IsString({ message: 'must be given once' })
  limit?: string;

  @ValidateIf((q: ListJobsQuery) => given(q.cursor))
  @IsString({ message: 'must be given once' })
  cursor?: string;
}
