import { ID_PATTERN, OPERATION_TYPES, OperationType } from '@fleetjobs/contracts';
import { Type } from 'class-transformer';
import { Allow, ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';

/** Most explicit devices a job may name. */
export const MAX_EXPLICIT_DEVICES = 10_000;
export const MAX_OPERATIONS = 100;

export class OperationRequestDto {
  @IsIn(OPERATION_TYPES)
  type: OperationType;

  @IsString()
  name: string;

  /** Checked against the capability's schema. */
  @Allow()
  value: unknown;
}

/** Body of `POST /internal/job-definition-checks`: a job definition to check before it is created. */
export class JobDefinitionCheckRequestDto {
  @IsString()
  @Matches(ID_PATTERN, { message: 'deviceSet must be a device set id' })
  deviceSet: string;

  /** The explicit subset, or null (or absent) for every device of the set. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_EXPLICIT_DEVICES)
  @IsString({ each: true })
  @Matches(ID_PATTERN, { each: true, message: 'each of devices must be a device id' })
  devices?: string[] | null;

  @IsArray()
  @ArrayMaxSize(MAX_OPERATIONS)
  @ValidateNested({ each: true })
  @Type(() => OperationRequestDto)
  operations: OperationRequestDto[];
}
