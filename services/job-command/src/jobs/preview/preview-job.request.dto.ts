import { IsOptional } from 'class-validator';
import { IsId } from '@fleetjobs/http-kit';
import { CreateJobRequestDto } from '../create-job/create-job.request.dto';

/** Body of `POST /api/jobs/preview`: a job body, with the job's id when it has one. */
export class PreviewJobRequestDto extends CreateJobRequestDto {
  @IsOptional()
  @IsId()
  id?: string;
}
