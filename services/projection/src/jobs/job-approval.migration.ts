import { MigrationInterface, QueryRunner } from 'typeorm';
import { PROJECTION_SCHEMA as S } from '../projection.tokens';

/** A job's two-person approval (`{required, reason, approvedBy, approvedAt}`), null when it needs none. */
export class ProjectionJobApproval1764900000030 implements MigrationInterface {
  name = 'ProjectionJobApproval1764900000030';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS approval jsonb`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${S}.jobs DROP COLUMN IF EXISTS approval`);
  }
}
