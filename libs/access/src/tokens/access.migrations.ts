import { messagingTablesDdl } from '@fleetjobs/persistence-pg';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { ACCESS_SCHEMA } from './access.schema';

/** The API tokens (only their secrets' hashes) and the outbox of the access events. */
export class AccessApiTokens1764900000101 implements MigrationInterface {
  name = 'AccessApiTokens1764900000101';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of [
      ...messagingTablesDdl(ACCESS_SCHEMA),
      `CREATE TABLE IF NOT EXISTS ${ACCESS_SCHEMA}.api_tokens (
         id text PRIMARY KEY,
         name text NOT NULL,
         role text NOT NULL,
         secret_hash text NOT NULL,
         created_at timestamptz NOT NULL,
         created_by jsonb,
         expires_at timestamptz,
         revoked_at timestamptz,
         revoked_by jsonb
       )`,
      // The list reads newest first.
      `CREATE INDEX IF NOT EXISTS api_tokens_created ON ${ACCESS_SCHEMA}.api_tokens (created_at DESC, id DESC)`,
    ]) {
      await runner.query(statement);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP SCHEMA IF EXISTS ${ACCESS_SCHEMA} CASCADE`);
  }
}

/** Migrations of the `access` schema; run by the process that hosts the AccessModule (job-command). */
export const accessMigrations = [AccessApiTokens1764900000101];
