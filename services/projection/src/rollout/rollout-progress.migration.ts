import { MigrationInterface, QueryRunner } from 'typeorm';
import { PROJECTION_SCHEMA as S } from '../projection.tokens';

/**
 * A job's rollout as created, where its rollout stands (batch, rate and why), each of its
 * batches in a row of its own, and the attempts made on each device.
 */
export class ProjectionRolloutProgress1764800000033 implements MigrationInterface {
  name = 'ProjectionRolloutProgress1764800000033';

  async up(runner: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS rollout jsonb`,
      `ALTER TABLE ${S}.job_devices ADD COLUMN IF NOT EXISTS attempts integer`,
      `CREATE TABLE IF NOT EXISTS ${S}.job_rollout_progress (
         job_id text COLLATE "C" PRIMARY KEY,
         current_batch integer NOT NULL,
         batch_count integer NOT NULL,
         rate_per_minute double precision,
         rate_reason text,
         paused_until timestamptz,
         sequence integer NOT NULL
       )`,
      `CREATE TABLE IF NOT EXISTS ${S}.job_rollout_batches (
         job_id text COLLATE "C" NOT NULL,
         batch_index integer NOT NULL,
         size integer NOT NULL,
         completed integer NOT NULL,
         failed integer NOT NULL,
         state text NOT NULL,
         sequence integer NOT NULL,
         PRIMARY KEY (job_id, batch_index)
       )`,
    ];
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE IF EXISTS ${S}.job_rollout_batches`);
    await runner.query(`DROP TABLE IF EXISTS ${S}.job_rollout_progress`);
    await runner.query(`ALTER TABLE ${S}.job_devices DROP COLUMN IF EXISTS attempts`);
    await runner.query(`ALTER TABLE ${S}.jobs DROP COLUMN IF EXISTS rollout`);
  }
}
