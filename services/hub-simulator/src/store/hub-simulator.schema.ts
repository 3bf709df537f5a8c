import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';

/** Serializes concurrent schema creation by processes sharing one database. */
const SCHEMA_LOCK_KEY = 7_348_201_551;

const SCHEMA_STATEMENTS = [
  `CREATE SCHEMA IF NOT EXISTS hub_simulator`,
  `CREATE TABLE IF NOT EXISTS hub_simulator.devices (
     id text PRIMARY KEY,
     etag text NOT NULL,
     generation_id text NOT NULL,
     tags jsonb NOT NULL DEFAULT '{}'::jsonb,
     desired jsonb NOT NULL DEFAULT '{}'::jsonb,
     desired_version integer NOT NULL DEFAULT 1,
     reported jsonb NOT NULL DEFAULT '{}'::jsonb,
     reported_version integer NOT NULL DEFAULT 1,
     twin_version bigint NOT NULL DEFAULT 1,
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE TABLE IF NOT EXISTS hub_simulator.operations (
     seq bigserial PRIMARY KEY,
     device_id text NOT NULL,
     kind text NOT NULL,
     name text,
     payload jsonb,
     request_id text,
     received_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX IF NOT EXISTS operations_by_device ON hub_simulator.operations (device_id, kind)`,
  `CREATE INDEX IF NOT EXISTS operations_by_kind ON hub_simulator.operations (kind, name)`,
  `CREATE TABLE IF NOT EXISTS hub_simulator.pending_acks (
     device_id text NOT NULL,
     name text NOT NULL,
     due_at timestamptz NOT NULL,
     PRIMARY KEY (device_id, name)
   )`,
  `CREATE INDEX IF NOT EXISTS pending_acks_by_due ON hub_simulator.pending_acks (due_at)`,
  // IoT Hub's jobs (/jobs/v2) and, per job, each device it targets with that device's outcome (devices.jobs).
  `CREATE TABLE IF NOT EXISTS hub_simulator.jobs (
     job_id text PRIMARY KEY,
     type text NOT NULL,
     query_condition text NOT NULL,
     update_twin jsonb,
     cloud_to_device_method jsonb,
     status text NOT NULL,
     created_time timestamptz NOT NULL DEFAULT now(),
     start_time timestamptz NOT NULL,
     end_time timestamptz,
     max_execution_seconds integer NOT NULL,
     failure_reason text,
     status_message text
   )`,
  `CREATE INDEX IF NOT EXISTS jobs_by_status ON hub_simulator.jobs (status)`,
  `CREATE TABLE IF NOT EXISTS hub_simulator.job_devices (
     job_id text NOT NULL REFERENCES hub_simulator.jobs (job_id) ON DELETE CASCADE,
     device_id text NOT NULL,
     seq integer NOT NULL,
     status text NOT NULL,
     start_time timestamptz,
     end_time timestamptz,
     outcome jsonb,
     error jsonb,
     updated_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (job_id, device_id)
   )`,
  `CREATE INDEX IF NOT EXISTS job_devices_by_seq ON hub_simulator.job_devices (job_id, seq)`,
];

/** Creates the simulator's tables (schema `hub_simulator`) if they are missing; safe to run concurrently. */
export async function ensureHubSimulatorSchema(dataSource: DataSource): Promise<void> {
  await dataSource.transaction(async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY]);
    for (const statement of SCHEMA_STATEMENTS) await manager.query(statement);
  });
}

/** The same schema as a TypeORM migration, for services that run migrations at start-up. */
export class HubSimulatorSchema1767225600000 implements MigrationInterface {
  name = 'HubSimulatorSchema1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY]);
    for (const statement of SCHEMA_STATEMENTS) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP SCHEMA IF EXISTS hub_simulator CASCADE');
  }
}

export const hubSimulatorMigrations = [HubSimulatorSchema1767225600000];
