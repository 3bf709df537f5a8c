import { MigrationInterface, QueryRunner } from 'typeorm';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';

/**
 * What each property and setting operation replaced on each device (kept before the write was
 * sent), and which jobs revert another: a revert puts those values back, device by device.
 */
export class DispatcherPreviousValues1764900000061 implements MigrationInterface {
  name = 'DispatcherPreviousValues1764900000061';

  async up(runner: QueryRunner): Promise<void> {
    // present false: the twin held no such value before the job.
    await runner.query(
      `CREATE TABLE IF NOT EXISTS ${S}.previous_values (
         job_id text NOT NULL,
         device_id text NOT NULL,
         kind text NOT NULL,
         name text NOT NULL,
         present boolean NOT NULL,
         value jsonb,
         recorded_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (job_id, device_id, kind, name)
       )`,
    );
    await runner.query(`CREATE TABLE IF NOT EXISTS ${S}.reverts (job_id text PRIMARY KEY, revert_of text NOT NULL)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE IF EXISTS ${S}.reverts`);
    await runner.query(`DROP TABLE IF EXISTS ${S}.previous_values`);
  }
}
