import { DEVICE_JOB_STATUSES, DeviceJobStatus } from '@fleetjobs/contracts';
import { IsStorableText } from '@fleetjobs/http-kit';
import { IsIn, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsPastIsoInstant } from './iso-instant.validator';

const given = (value: unknown) => value !== undefined && value !== '';

/** Query of `GET /api/jobs/{id}/devices`; an empty parameter counts as absent. */
export class ListJobDevicesQuery {
  @ValidateIf((q: ListJobDevicesQuery) => given(q.status))
  @IsIn(DEVICE_JOB_STATUSES, { message: `must be one of ${DEVICE_JOB_STATUSES.join(', ')}` })
  status?: DeviceJobStatus;

  /** Case-insensitive part of a device id. */
  @ValidateIf((q: ListJobDevicesQuery) => given(q.search))
  @IsString({ message: 'must be given once' })
  @MaxLength(128, { message: 'must be at most 128 characters' })
  @IsStorableText({ message: 'must not contain U+0000 or unpaired surrogates' })
  search?: string;

  /** The devices as they were at this instant (their status then; devices not yet targeted then are left out). */
  @ValidateIf((q: ListJobDevicesQuery) => given(q.at))
  @IsPastIsoInstant()
  at?: string;

  @ValidateIf((q: ListJobDevicesQuery) => given(q.limit))
  @IsString({ message: 'must be given once' })
  limit?: string;

  @ValidateIf((q: ListJobDevicesQuery) => given(q.cursor))
  @IsString({ message: 'must be given once' })
  cursor?: string;
}
