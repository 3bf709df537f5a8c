import { IsStorableText } from '@fleetjobs/http-kit';
import { IsIn, IsString, MaxLength, ValidateBy, ValidateIf } from 'class-validator';
import { AUDITED_ACTIONS } from '../audit/audit.projection';
import { toStorableInstant } from '../jobs/projection-time';

const given = (value: unknown) => value !== undefined && value !== '';

// A day, or a day and a time with its zone: `2026-03-01`, `2026-03-01T10:00:00Z`, `2026-03-01T12:00+02:00`.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** An instant in ISO 8601 that both JavaScript and PostgreSQL read the same. */
function IsIsoInstant(): PropertyDecorator {
  return ValidateBy({
    name: 'isIsoInstant',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && ISO_TIME.test(value) && toStorableInstant(value) !== null,
      defaultMessage: () => 'must be a date (2026-03-01) or a date and time with its zone (2026-03-01T10:00:00Z)',
    },
  });
}

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
