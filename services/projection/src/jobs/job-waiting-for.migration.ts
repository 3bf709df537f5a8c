import { MigrationInterface, QueryRunner } from 'typeorm';
import { PROJECTION_SCHEMA as S } from '../projection.tokens';

/** The jobs a queued job waits for (`JobCreated.waitingFor`) and when the queue released it (`JobReleased`). */
export class ProjectionJobWaitingFor1764900000310 implements MigrationInterface {
  name = 'ProjectionJobWaitingFor1764900000310';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS waiting_for jsonb, ADD COLUMN IF NOT EXISTS released_at timestamptz`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${S}.jobs DROP COLUMN IF EXISTS waiting_for, DROP COLUMN IF EXISTS released_at`);
  }
}
