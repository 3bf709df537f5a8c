import { MigrationInterface, QueryRunner } from 'typeorm';
import { PROJECTION_SCHEMA as S } from '../projection.tokens';

/** The job a revert job reverts (`JobCreated.revertOf`), null for any other job. */
export class ProjectionJobRevertOf1765000000161 implements MigrationInterface {
  name = 'ProjectionJobRevertOf1765000000161';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS revert_of text`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${S}.jobs DROP COLUMN IF EXISTS revert_of`);
  }
}
