import { MigrationInterface, QueryRunner } from 'typeorm';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';

/**
 * Windows in each device's own zone (`"timeZone": "device"`): a device's zone on its work row, kept
 * only for jobs that have such windows (NULL otherwise), and each such job's distinct zones, which
 * a claim judges its windows in. The index lets a claim take a job's pending devices of one open
 * zone in id order without reading those of closed zones; rows of other jobs are not in it.
 */
export class DispatcherDeviceTimeZones1765000000151 implements MigrationInterface {
  name = 'DispatcherDeviceTimeZones1765000000151';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${S}.operations ADD COLUMN IF NOT EXISTS time_zone text`);
    await runner.query(`ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS time_zones text[]`);
    await runner.query(
      `CREATE INDEX IF NOT EXISTS operations_pending_by_zone ON ${S}.operations (job_id, time_zone, device_id)
       WHERE status = 'pending' AND time_zone IS NOT NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX IF EXISTS ${S}.operations_pending_by_zone`);
    await runner.query(`ALTER TABLE ${S}.jobs DROP COLUMN IF EXISTS time_zones`);
    await runner.query(`ALTER TABLE ${S}.operations DROP COLUMN IF EXISTS time_zone`);
  }
}
