import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ID_PATTERN, OPERATION_TYPES } from '@fleetjobs/contracts';

const ID_MESSAGE = 'must be 1 to 128 letters, digits, "-", "_", "." or ":"';

export class JobOperationRequestDto {
  @IsIn(OPERATION_TYPES, { message: `must be one of ${OPERATION_TYPES.join(', ')}` })
  type: 'property' | 'setting' | 'command';

  @IsString()
  @Length(1, 128)
  name: string;

  @IsDefined({ message: 'is required' })
  value: unknown;
}

/** Body of `PUT /api/jobs/{id}` and `POST /api/jobs`. */
export class CreateJobRequestDto {
  @IsString()
  @Length(1, 200)
  displayName: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @IsString()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  deviceSet: string;

  /** Omitted: every device of the set. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @ArrayUnique({ message: 'must not name a device twice' })
  @Matches(ID_PATTERN, { each: true, message: `each device id ${ID_MESSAGE}` })
  devices?: string[];

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => JobOperationRequestDto)
  operations: JobOperationRequestDto[];
}
