import { MigrationInterface, QueryRunner } from 'typeorm';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';

/** A job's maintenance windows (`JobCreated.schedule.windows`): its devices start only inside one. */
export class DispatcherMaintenanceWindows1765000000121 implements MigrationInterface {
  name = 'DispatcherMaintenanceWindows1765000000121';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS windows jsonb`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${S}.jobs DROP COLUMN IF EXISTS windows`);
  }
}
