import { MigrationInterface, QueryRunner } from 'typeorm';
import { PROJECTION_SCHEMA as S } from '../projection.tokens';

/**
 * When a job's last event (`JobSettled`) came. Jobs that ended before jobs settled keep null until
 * the read model is rebuilt from a log that has it.
 */
export class ProjectionJobSettled1764900000200 implements MigrationInterface {
  name = 'ProjectionJobSettled1764900000200';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS settled_at timestamptz`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${S}.jobs DROP COLUMN IF EXISTS settled_at`);
  }
}
