import { IsOptional } from 'class-validator';
import { IsId } from '@fleetjobs/http-kit';

/** Body of `POST /api/jobs/{id}/revert` (optional). */
export class RevertJobRequestDto {
  /** The revert job's id; omitted: the server chooses one. */
  @IsOptional()
  @IsId()
  id?: string;
}
