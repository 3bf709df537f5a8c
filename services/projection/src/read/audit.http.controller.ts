import { Controller, Get, Query } from '@nestjs/common';
import { Page, parseLimit, ValidationProblem } from '@fleetjobs/http-kit';
import { toStorableInstant } from '../jobs/projection-time';
import { AuditEntriesQuery, AuditEntryView } from './audit-entries.query';
import { ListAuditQuery } from './list-audit.request.dto';

/** `GET /api/audit`: who sent which command, newest first (issue 10 §3). */
@Controller('api/audit')
export class AuditHttpController {
  constructor(private readonly entries: AuditEntriesQuery) {}

  @Get()
  list(@Query() query: ListAuditQuery): Promise<Page<AuditEntryView>> {
    const from = toStorableInstant(query.from) ?? undefined;
    const to = toStorableInstant(query.to) ?? undefined;
    if (from !== undefined && to !== undefined && to <= from) {
      throw new ValidationProblem([{ field: 'to', message: 'must be later than from' }]);
    }
    return this.entries.list({
      actor: query.actor || undefined,
      action: query.action || undefined,
      subject: query.subject || undefined,
      from,
      to,
      limit: parseLimit(query.limit),
      cursor: query.cursor || undefined,
    });
  }
}
