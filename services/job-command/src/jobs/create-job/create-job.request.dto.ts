import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  MAX_EXPLICIT_DEVICES,
  MAX_EXPLICIT_DEVICES_BYTES,
  MAX_JOB_DESCRIPTION,
  MAX_JOB_DISPLAY_NAME,
  MAX_OPERATION_NAME,
  MAX_OPERATION_VALUE_BYTES,
  MAX_OPERATIONS,
  MAX_OPERATIONS_BYTES,
  OPERATION_TYPES,
} from '@fleetjobs/contracts';
import { HasNoDuplicates, IsId, IsStorableText, MaxJsonBytes } from '@fleetjobs/http-kit';
import { ON_CONFLICT, OnConflict } from './job-conflict.policy';
import { RolloutRequestDto } from './rollout.request.dto';
import { ScheduleRequestDto } from './schedule.request.dto';

// The limits keep the JobCreated event of any valid body within one Kafka message (libs/contracts limits.ts).

export class JobOperationRequestDto {
  @IsIn(OPERATION_TYPES, { message: `must be one of ${OPERATION_TYPES.join(', ')}` })
  type: 'property' | 'setting' | 'command';

  @IsString()
  @Length(1, MAX_OPERATION_NAME)
  @IsStorableText()
  name: string;

  @IsDefined({ message: 'is required' })
  @MaxJsonBytes(MAX_OPERATION_VALUE_BYTES)
  value: unknown;
}

/** The creator's choice that the job waits for a second person's approval before it runs. */
export class ApprovalRequestDto {
  @IsBoolean({ message: 'must be true or false' })
  required: boolean;
}

/** Body of `PUT /api/jobs/{id}` and `POST /api/jobs`. */
export class CreateJobRequestDto {
  @IsString()
  @Length(1, MAX_JOB_DISPLAY_NAME)
  @IsStorableText()
  displayName: string;

  @IsOptional()
  @IsString()
  @MaxLength(MAX_JOB_DESCRIPTION)
  @IsStorableText()
  description?: string;

  @IsId()
  deviceSet: string;

  /** Omitted: every device of the set. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_EXPLICIT_DEVICES)
  @MaxJsonBytes(MAX_EXPLICIT_DEVICES_BYTES)
  @HasNoDuplicates({ message: 'must not name a device twice' })
  @IsId({ each: true })
  devices?: string[];

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_OPERATIONS)
  @MaxJsonBytes(MAX_OPERATIONS_BYTES)
  @ValidateNested({ each: true })
  @Type(() => JobOperationRequestDto)
  operations: JobOperationRequestDto[];

  /** Omitted: every device at once, at the dispatcher's own pace. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RolloutRequestDto)
  rollout?: RolloutRequestDto;

  /** `{"required": true}`: nothing runs until an operator other than the creator approves it. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ApprovalRequestDto)
  approval?: ApprovalRequestDto;

  /** `{"startAt": "<ISO time>"}`: the job stays pending until then. Omitted: it starts at once. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ScheduleRequestDto)
  schedule?: ScheduleRequestDto;

  /** Active jobs writing the same property or setting on some of its devices: `refuse` (omitted), `queue` behind them, or `allow`. */
  @IsOptional()
  @IsIn(ON_CONFLICT, { message: `must be one of ${ON_CONFLICT.join(', ')}` })
  onConflict?: OnConflict;
}
