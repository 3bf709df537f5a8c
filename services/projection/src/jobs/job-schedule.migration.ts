import { MigrationInterface, QueryRunner } from 'typeorm';
import { PROJECTION_SCHEMA as S } from '../projection.tokens';

/** A scheduled job's schedule (`JobCreated.schedule`) and when its start was reached (`JobStartReached`). */
export class ProjectionJobSchedule1765000000110 implements MigrationInterface {
  name = 'ProjectionJobSchedule1765000000110';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS schedule jsonb, ADD COLUMN IF NOT EXISTS start_reached_at timestamptz`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${S}.jobs DROP COLUMN IF EXISTS schedule, DROP COLUMN IF EXISTS start_reached_at`);
  }
}
