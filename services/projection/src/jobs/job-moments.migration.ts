import { MigrationInterface, QueryRunner } from 'typeorm';
import { PROJECTION_SCHEMA as S } from '../projection.tokens';

/**
 * A job at any moment: each job device's target and outcome times, and the job's status changes,
 * all at the events' own times. Rows folded before this have no times and show at no moment until
 * the read model is rebuilt.
 */
export class ProjectionJobMoments1764900000175 implements MigrationInterface {
  name = 'ProjectionJobMoments1764900000175';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${S}.job_devices ADD COLUMN IF NOT EXISTS targeted_at timestamptz`);
    await runner.query(`ALTER TABLE ${S}.job_devices ADD COLUMN IF NOT EXISTS outcome_at timestamptz`);
    await runner.query(
      `CREATE TABLE IF NOT EXISTS ${S}.job_status_changes (
         job_id text COLLATE "C" NOT NULL,
         event_id text NOT NULL,
         type text NOT NULL,
         at timestamptz NOT NULL,
         PRIMARY KEY (job_id, event_id)
       )`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE IF EXISTS ${S}.job_status_changes`);
    await runner.query(`ALTER TABLE ${S}.job_devices DROP COLUMN IF EXISTS outcome_at`);
    await runner.query(`ALTER TABLE ${S}.job_devices DROP COLUMN IF EXISTS targeted_at`);
  }
}
