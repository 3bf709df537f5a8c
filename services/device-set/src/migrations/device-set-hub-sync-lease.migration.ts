import { MigrationInterface, QueryRunner } from 'typeorm';
import { TABLES } from '../device-set.schema';

/**
 * A writer renews, reads and releases its leases by `lease_owner`: without an index each of those
 * read the whole `hub_sync` table, one row per device of the fleet. Only leased rows are indexed.
 */
export class DeviceSetHubSyncLease1764900000001 implements MigrationInterface {
  name = 'DeviceSetHubSyncLease1764900000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS hub_sync_lease_owner ON ${TABLES.hubSync} (lease_owner) WHERE lease_owner IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS ${TABLES.hubSync.split('.')[0]}.hub_sync_lease_owner`);
  }
}
