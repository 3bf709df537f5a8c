import { MAX_BATCH_DEVICES } from '@fleetjobs/contracts';
import { IsId } from '@fleetjobs/http-kit';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { IsDisplayName } from '../shared/display-name.decorator';

export { MAX_BATCH_DEVICES };

/** Body of `PUT /api/devices/{id}`. */
export class PutDeviceRequestDto {
  @IsDisplayName()
  displayName: string;

  @IsId()
  template: string;

  /** Free JSON object, at most 16 KiB; absent or null means no tags. */
  @IsOptional()
  @IsObject()
  tags?: Record<string, unknown> | null;
}

export class BatchDeviceRequestDto extends PutDeviceRequestDto {
  @IsId()
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
