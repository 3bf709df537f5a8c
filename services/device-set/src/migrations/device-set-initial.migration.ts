import { deadLettersMigration, messagingTablesDdl } from '@fleetjobs/persistence-pg';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { DEVICE_SET_SCHEMA, TABLES } from '../device-set.schema';
import { DeviceSetHubSync1700000000002 } from './device-set-hub-sync.migration';
import { DeviceSetAwaitingApproval1764900000020 } from './device-set-awaiting-approval.migration';
import { DeviceSetHubSyncLease1764900000001 } from './device-set-hub-sync-lease.migration';

/**
 * Templates, devices and sets. Ids sort bytewise (`COLLATE "C"`), so keyset pages ordered by id
 * agree with the `id > cursor` comparison on every server locale. Devices keep their template by
 * name without a foreign key: a template may be deleted while devices and sets still use it.
 */
export class DeviceSetInitial1700000000001 implements MigrationInterface {
  name = 'DeviceSetInitial1700000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE SCHEMA IF NOT EXISTS ${DEVICE_SET_SCHEMA}`,
      `CREATE TABLE ${TABLES.templates} (
         id text COLLATE "C" PRIMARY KEY,
         display_name text NOT NULL,
         capabilities jsonb NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE TABLE ${TABLES.devices} (
         id text COLLATE "C" PRIMARY KEY,
         display_name text NOT NULL,
         template text COLLATE "C" NOT NULL,
         tags jsonb NOT NULL DEFAULT '{}'::jsonb,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX devices_template_id ON ${TABLES.devices} (template, id)`,
      // Serves tag equality conditions, compiled to containment (`tags @> {...}`).
      `CREATE INDEX devices_tags ON ${TABLES.devices} USING gin (tags jsonb_path_ops)`,
      `CREATE TABLE ${TABLES.deviceSets} (
         id text COLLATE "C" PRIMARY KEY,
         display_name text NOT NULL,
         conditions jsonb NOT NULL,
         template text COLLATE "C",
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX device_sets_template_id ON ${TABLES.deviceSets} (template, id)`,
      ...messagingTablesDdl(DEVICE_SET_SCHEMA),
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP SCHEMA IF EXISTS ${DEVICE_SET_SCHEMA} CASCADE`);
  }
}

/** Every migration of the device-set service, in order. */
export const deviceSetMigrations = [DeviceSetInitial1700000000001, DeviceSetHubSync1700000000002, deadLettersMigration(DEVICE_SET_SCHEMA, 'DeviceSetDeadLetters1764400000001'), DeviceSetHubSyncLease1764900000001, DeviceSetAwaitingApproval1764900000020];
