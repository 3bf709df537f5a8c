import { MigrationInterface, QueryRunner } from 'typeorm';
import { PROJECTION_SCHEMA as S } from '../projection.tokens';

/** The recurring schedule a job is a run of, and which run (`JobCreated.scheduleId`, `scheduleRun`); null for any other job. */
export class ProjectionJobScheduleRun1765100000120 implements MigrationInterface {
  name = 'ProjectionJobScheduleRun1765100000120';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS schedule_id text`);
    await runner.query(`ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS schedule_run int`);
    await runner.query(`CREATE INDEX IF NOT EXISTS jobs_schedule_id ON ${S}.jobs (schedule_id) WHERE schedule_id IS NOT NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${S}.jobs DROP COLUMN IF EXISTS schedule_id`);
    await runner.query(`ALTER TABLE ${S}.jobs DROP COLUMN IF EXISTS schedule_run`);
  }
}
