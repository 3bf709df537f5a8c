import { queryPrepared, SqlExecutor } from '@fleetjobs/persistence-pg';
import { PROJECTION_SCHEMA as S } from '../projection.tokens';
import { AuditEntry } from './audit.projection';

/** Rows per insert statement. */
const INSERT_CHUNK = 1000;

/**
 * Writes the entries not written yet. An entry never changes once written (its event is a fact),
 * so a redelivered event finds its row and changes nothing.
 */
export async function insertAuditEntries(tx: SqlExecutor, entries: AuditEntry[]): Promise<void> {
  for (let start = 0; start < entries.length; start += INSERT_CHUNK) {
    const part = entries.slice(start, start + INSERT_CHUNK);
    await queryPrepared(
      tx,
      `INSERT INTO ${S}.audit_entries (event_id, time, actor_id, actor, action, subject, summary)
       SELECT event_id, time, actor_id, actor::jsonb, action, subject, summary::jsonb
         FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
           AS v(event_id, time, actor_id, actor, action, subject, summary)
       ON CONFLICT (event_id) DO NOTHING`,
      [
        part.map((e) => e.eventId),
        part.map((e) => e.time),
        part.map((e) => e.actor.id),
        part.map((e) => JSON.stringify(e.actor)),
        part.map((e) => e.action),
        part.map((e) => e.subject),
        part.map((e) => JSON.stringify(e.summary)),
      ],
    );
  }
}
