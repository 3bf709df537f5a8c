import { MigrationInterface, QueryRunner } from 'typeorm';
import { TABLES } from '../device-set.schema';

/**
 * `awaiting_approval` keeps the `JobCreated` of each job that needs a second person's approval
 * until its `JobApproved` (then its targets are resolved) or its `JobStopped` (then it never is).
 */
export class DeviceSetAwaitingApproval1764900000020 implements MigrationInterface {
  name = 'DeviceSetAwaitingApproval1764900000020';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE IF NOT EXISTS ${TABLES.awaitingApproval} (
         job_id text COLLATE "C" PRIMARY KEY,
         event jsonb NOT NULL,
         held_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS ${TABLES.awaitingApproval}`);
  }
}
