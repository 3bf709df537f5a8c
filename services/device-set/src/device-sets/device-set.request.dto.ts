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

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ConditionRequestDto)
  conditions: ConditionRequestDto[];
}
