import { MigrationInterface, QueryRunner } from 'typeorm';
import { PROJECTION_SCHEMA as S } from '../projection.tokens';

/** The job a rerun repeats (`JobCreated.rerunOf`), null for a job created from a body. */
export class ProjectionJobRerunOf1764900000110 implements MigrationInterface {
  name = 'ProjectionJobRerunOf1764900000110';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS rerun_of text`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${S}.jobs DROP COLUMN IF EXISTS rerun_of`);
  }
}
