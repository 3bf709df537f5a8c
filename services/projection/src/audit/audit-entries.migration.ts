import { MigrationInterface, QueryRunner } from 'typeorm';
import { PROJECTION_SCHEMA as S } from '../projection.tokens';

/**
 * Who sent which command: one row per event that records a command with its actor. Read newest
 * first, on its own or narrowed to one actor, action or subject; each filter has an index in
 * that order so that a page costs its rows whatever the history's size.
 */
export class ProjectionAuditEntries1764900000010 implements MigrationInterface {
  name = 'ProjectionAuditEntries1764900000010';

  async up(runner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE IF NOT EXISTS ${S}.audit_entries (
         event_id text COLLATE "C" PRIMARY KEY,
         time timestamptz NOT NULL,
         actor_id text COLLATE "C" NOT NULL,
         actor jsonb NOT NULL,
         action text COLLATE "C" NOT NULL,
         subject text COLLATE "C" NOT NULL,
         summary jsonb NOT NULL DEFAULT '{}'
       )`,
      `CREATE INDEX IF NOT EXISTS audit_entries_by_time ON ${S}.audit_entries (time DESC, event_id DESC)`,
      `CREATE INDEX IF NOT EXISTS audit_entries_by_actor ON ${S}.audit_entries (actor_id, time DESC, event_id DESC)`,
      `CREATE INDEX IF NOT EXISTS audit_entries_by_action ON ${S}.audit_entries (action, time DESC, event_id DESC)`,
      `CREATE INDEX IF NOT EXISTS audit_entries_by_subject ON ${S}.audit_entries (subject, time DESC, event_id DESC)`,
      // Who created and who stopped a job, from the actors of JobCreated and JobStopped.
      `ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS created_by jsonb`,
      `ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS stopped_by jsonb`,
    ];
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${S}.jobs DROP COLUMN IF EXISTS stopped_by`);
    await runner.query(`ALTER TABLE ${S}.jobs DROP COLUMN IF EXISTS created_by`);
    await runner.query(`DROP TABLE IF EXISTS ${S}.audit_entries`);
  }
}
