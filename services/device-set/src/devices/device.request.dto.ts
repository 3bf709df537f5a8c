import { ID_PATTERN } from '@fleetjobs/contracts';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { IsDisplayName } from '../shared/display-name.decorator';

const ID_MESSAGE = (property: string) => `${property} must be 1 to 128 letters, digits, "-", "_", "." or ":"`;

/** Most devices one batch may create or update. */
export const MAX_BATCH_DEVICES = 10_000;

/** Body of `PUT /api/devices/{id}`. */
export class PutDeviceRequestDto {
  @IsDisplayName()
  displayName: string;

  @IsString()
  @Matches(ID_PATTERN, { message: ID_MESSAGE('template') })
  template: string;

  /** Free JSON object, at most 16 KiB; absent or null means no tags. */
  @IsOptional()
  @IsObject()
  tags?: Record<string, unknown> | null;
}

export class BatchDeviceRequestDto extends PutDeviceRequestDto {
  @IsString()
  @Matches(ID_PATTERN, { message: ID_MESSAGE('id') })
  id: string;
}

/** Body of `POST /api/devices/batch`. */
export class DeviceBatchRequestDto {
  @IsArray()
  @ArrayMaxSize(MAX_BATCH_DEVICES)
  @ValidateNested({ each: true })
  @Type(() => BatchDeviceRequestDto)
  devices: BatchDeviceRequestDto[];
}
