import { ValidateIf } from 'class-validator';
import { IsPastIsoInstant } from './iso-instant.validator';

const given = (value: unknown) => value !== undefined && value !== '';

/** Query of `GET /api/jobs/{id}`; an empty parameter counts as absent. */
export class GetJobQuery {
  /** The job as it was at this instant: its status, times and counts then. */
  @ValidateIf((q: GetJobQuery) => given(q.at))
  @IsPastIsoInstant()
  at?: string;
}
