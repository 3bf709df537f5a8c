import { IsStorableText } from '@fleetjobs/http-kit';
import { IsIn, IsString, MaxLength, ValidateIf } from 'class-validator';
import { AUDITED_ACTIONS } from '../audit/audit.projection';
import { IsIsoInstant } from './iso-instant.validator';

const given = (value: unknown) => value !== undefined && value !== '';

/** Query of `GET /api/audit`; an empty parameter counts as absent. */
export class ListAuditQuery {
  /** An actor id, e.g. `user:<subject>` or `token:<id>`. */
  @ValidateIf((q: ListAuditQuery) => given(q.actor))
  @IsString({ message: 'must be given once' })
  @MaxLength(300, { message: 'must be at most 300 characters' })
  @IsStorableText({ message: 'must not contain U+0000 or unpaired surrogates' })
  actor?: string;

  @ValidateIf((q: ListAuditQuery) => given(q.action))
  @IsIn(AUDITED_ACTIONS, { message: `must be one of ${AUDITED_ACTIONS.join(', ')}` })
  action?: string;

  /** The id of the job, device, template, set or token concerned. */
  @ValidateIf((q: ListAuditQuery) => given(q.subject))
  @IsString({ message: 'must be given once' })
  @MaxLength(128, { message: 'must be at most 128 characters' })
  @IsStorableText({ message: 'must not contain U+0000 or unpaired surrogates' })
  subject?: string;

  /** Entries at or after this instant. */
  @ValidateIf((q: ListAuditQuery) => given(q.from))
  @IsIsoInstant()
  from?: string;

  /** Entries before this instant. */
  @ValidateIf((q: ListAuditQuery) => given(q.to))
  @IsIsoInstant()
  to?: string;

  @ValidateIf((q: ListAuditQuery) => given(q.limit))
  @IsString({ message: 'must be given once' })
  limit?: string;

  @ValidateIf((q: ListAuditQuery) => given(q.cursor))
  @IsString({ message: 'must be given once' })
  cursor?: string;
}
