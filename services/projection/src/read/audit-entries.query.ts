import { Inject, Injectable } from '@nestjs/common';
import { Actor } from '@fleetjobs/contracts';
import { decodeCursor, Page, toPage, ValidationProblem } from '@fleetjobs/http-kit';
import { queryRows } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { AuditSummary } from '../audit/audit.projection';
import { toStorableInstant } from '../jobs/projection-time';
import { PROJECTION_SCHEMA as S } from '../projection.tokens';

/** One recorded command as `GET /api/audit` shows it. */
export interface AuditEntryView {
  eventId: string;
  time: string;
  actor: Actor;
  action: string;
  subject: string;
  summary: AuditSummary;
}

interface AuditEntryRecord {
  event_id: string;
  time: Date;
  actor: Actor;
  action: string;
  subject: string;
  summary: AuditSummary;
}

export interface ListAuditOptions {
  actor?: string;
  action?: string;
  subject?: string;
  /** ISO instants: from inclusive, to exclusive. */
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

/** `[time, eventId]` of the last entry of the previous page. */
function auditCursor(raw: string | undefined): [string, string] | null {
  const position = decodeCursor(raw, 2);
  if (position === null) return null;
  const [time, eventId] = position;
  const instant = typeof time === 'string' ? toStorableInstant(time) : null;
  if (instant === null || typeof eventId !== 'string') {
    throw new ValidationProblem([{ field: 'cursor', message: 'is not a cursor this list gave out' }]);
  }
  return [instant, eventId];
}

/** Reads of the audit entries, newest first. */
@Injectable()
export class AuditEntriesQuery {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async list(options: ListAuditOptions): Promise<Page<AuditEntryView>> {
    const after = auditCursor(options.cursor);
    const params: unknown[] = [options.limit + 1];
    const where: string[] = [];
    const filter = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (options.actor) filter((p) => `actor_id = ${p}`, options.actor);
    if (options.action) filter((p) => `action = ${p}`, options.action);
    if (options.subject) filter((p) => `subject = ${p}`, options.subject);
    if (options.from) filter((p) => `time >= ${p}::timestamptz`, options.from);
    if (options.to) filter((p) => `time < ${p}::timestamptz`, options.to);
    if (after) {
      params.push(...after);
      where.push(`(time, event_id) < ($${params.length - 1}::timestamptz, $${params.length})`);
    }
    const rows = await queryRows<AuditEntryRecord>(
      this.dataSource,
      `SELECT event_id, time, actor, action, subject, summary FROM ${S}.audit_entries
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY time DESC, event_id DESC LIMIT $1`,
      params,
    );
    return toPage(
      rows,
      options.limit,
      (r) => ({ eventId: r.event_id, time: r.time.toISOString(), actor: r.actor, action: r.action, subject: r.subject, summary: r.summary }),
      (r) => [r.time.toISOString(), r.event_id],
    );
  }
}
