import {
  MAX_EXPLICIT_DEVICES,
  MAX_EXPLICIT_DEVICES_BYTES,
  MAX_OPERATION_VALUE_BYTES,
  MAX_OPERATIONS,
  MAX_OPERATIONS_BYTES,
  OPERATION_TYPES,
  OperationType,
} from '@fleetjobs/contracts';
import { IsId, MaxJsonBytes } from '@fleetjobs/http-kit';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';

// The same limits as the public job API, so that a definition accepted here fits a JobCreated event.

export class OperationRequestDto {
  @IsIn(OPERATION_TYPES)
  type: OperationType;

  @IsString()
  name: string;

  /** Checked against the capability's schema. */
  @MaxJsonBytes(MAX_OPERATION_VALUE_BYTES)
  value: unknown;
}

/** Body of `POST /internal/job-definition-checks`: a job definition to check before it is created. */
export class JobDefinitionCheckRequestDto {
  @IsId()
  deviceSet: string;

  /** The explicit subset, or null (or absent) for every device of the set. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_EXPLICIT_DEVICES)
  @MaxJsonBytes(MAX_EXPLICIT_DEVICES_BYTES)
  @IsId({ each: true })
  devices?: string[] | null;

  @IsArray()
  @ArrayMaxSize(MAX_OPERATIONS)
  @MaxJsonBytes(MAX_OPERATIONS_BYTES)
  @ValidateNested({ each: true })
  @Type(() => OperationRequestDto)
  operations: OperationRequestDto[];

  /** The job's rollout batch size when it names no devices: the set must hold at least that many. */
  @IsOptional()
  @IsInt()
  @Min(1)
  batchSize?: number | null;

  /** Count the set's current members up to this many and answer `memberCount` (job-command's approval threshold). */
  @IsOptional()
  @IsInt()
  @Min(1)
  countMembersUpTo?: number | null;
}
