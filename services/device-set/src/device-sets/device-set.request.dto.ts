import { MAX_CONDITIONS_BYTES } from '@fleetjobs/contracts';
import { MaxJsonBytes } from '@fleetjobs/http-kit';
import { Type } from 'class-transformer';
import { Allow, IsArray, IsString, ValidateNested } from 'class-validator';
import { IsDisplayName } from '../shared/display-name.decorator';
import type { ConditionOperator } from './condition';

/** One condition; which values an operator takes on a field is checked by `validateConditions`. */
export class ConditionRequestDto {
  @IsString()
  field: string;

  @IsString()
  operator: ConditionOperator;

  /** Free JSON; its shape depends on the operator. */
  @Allow()
  value: unknown;
}

/** Body of `PUT /api/device-sets/{id}`. */
export class PutDeviceSetRequestDto {
  @IsDisplayName()
  displayName: string;

  /** Keeps the DeviceSetSaved event within one Kafka message (libs/contracts limits.ts). */
  @IsArray()
  @MaxJsonBytes(MAX_CONDITIONS_BYTES)
  @ValidateNested({ each: true })
  @Type(() => ConditionRequestDto)
  conditions: ConditionRequestDto[];
}
