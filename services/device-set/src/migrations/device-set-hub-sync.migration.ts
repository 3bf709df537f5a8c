import { MigrationInterface, QueryRunner } from 'typeorm';
import { TABLES } from '../device-set.schema';

/**
 * What the hub holds of each device, so that a job's targets are registered in the hub before
 * they are published.
 *
 * - Every write of a device takes a new `version` from one sequence, so versions only grow, even
 *   across a delete and a re-create under the same id.
 * - `hub_sync` says which version the hub holds (`synced_version`), which version it refused for
 *   good (`refused_version`, not tried again), and who is writing the device to the hub right now
 *   (`lease_owner` until `lease_until`): one writer at a time reads the current row and writes it,
 *   so a slower writer can never put an older state over a newer one. It is a table of its own so
 *   that the API's device writes never wait on a lease.
 * - `hub_sync_failures` keeps every device the hub sync gave up on, with the hub's reason and the
 *   cause: `refused` (not tried again until the device changes) or `retries-exhausted`.
 * - `pending_targets` holds a job's resolved targets between the snapshot that decided them and
 *   their publication, chunk by chunk, once each chunk's devices are in the hub.
 */
export class DeviceSetHubSync1700000000002 implements MigrationInterface {
  name = 'DeviceSetHubSync1700000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE SEQUENCE ${TABLES.deviceVersions}`,
      // Existing rows each get a version of their own; none is known to be in the hub yet.
      `ALTER TABLE ${TABLES.devices} ADD COLUMN version bigint NOT NULL DEFAULT nextval('${TABLES.deviceVersions}')`,
      `CREATE TABLE ${TABLES.hubSync} (
         device_id text COLLATE "C" PRIMARY KEY,
         synced_version bigint NOT NULL DEFAULT 0,
         refused_version bigint NOT NULL DEFAULT 0,
         lease_owner text,
         lease_until timestamptz
       )`,
      `CREATE TABLE ${TABLES.hubSyncFailures} (
         id bigserial PRIMARY KEY,
         device_id text COLLATE "C" NOT NULL,
         version bigint,
         operation text NOT NULL,
         cause text NOT NULL,
         source text NOT NULL,
         reason text NOT NULL,
         failed_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX hub_sync_failures_device ON ${TABLES.hubSyncFailures} (device_id, failed_at)`,
      `CREATE TABLE ${TABLES.pendingTargets} (
         job_id text COLLATE "C" NOT NULL,
         seq int NOT NULL,
         event jsonb NOT NULL,
         PRIMARY KEY (job_id, seq)
       )`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS ${TABLES.pendingTargets}, ${TABLES.hubSyncFailures}, ${TABLES.hubSync}`);
    await queryRunner.query(`ALTER TABLE ${TABLES.devices} DROP COLUMN IF EXISTS version`);
    await queryRunner.query(`DROP SEQUENCE IF EXISTS ${TABLES.deviceVersions}`);
  }
}
