import type { CapabilityKind, ValueSchema } from '@fleetjobs/contracts';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsString, ValidateNested } from 'class-validator';
import { IsDisplayName } from '../shared/display-name.decorator';
import { CAPABILITY_KINDS, MAX_CAPABILITIES, VALUE_SCHEMAS } from './capability.validator';

export class CapabilityRequestDto {
  @IsString()
  name: string;

  @IsIn(CAPABILITY_KINDS)
  kind: CapabilityKind;

  @IsIn(VALUE_SCHEMAS)
  schema: ValueSchema;
}

/** Body of `PUT /api/device-templates/{id}`. */
export class PutTemplateRequestDto {
  @IsDisplayName()
  displayName: string;

  @IsArray()
  @ArrayMaxSize(MAX_CAPABILITIES)
  @ValidateNested({ each: true })
  @Type(() => CapabilityRequestDto)
  capabilities: CapabilityRequestDto[];
}
