import { deadLettersMigration, messagingTablesDdl } from '@fleetjobs/persistence-pg';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { DISPATCHER_SCHEMA as S } from './dispatcher.schema';
import { DispatcherHubPacing1764800000047 } from './operations/hub-rate.migration';
import { DispatcherPreviousValues1764900000061 } from './operations/previous-values.migration';
import { DispatcherEndedJobs1765200000032, DispatcherRetention1765200000031 } from './retention/dispatch-retention.migration';
import { DispatcherRolloutSignals1764800000031 } from './rollout/rollout-signals.migration';
import { DispatcherDeviceTimeZones1765000000151 } from './windows/device-time-zones.migration';
import { DispatcherMaintenanceWindows1765000000121 } from './windows/maintenance-windows.migration';
import { DispatcherLighterWorkUpdates1765300000011 } from './work/work-updates.migration';

export class DispatcherInitial1764200000002 implements MigrationInterface {
  name = 'DispatcherInitial1764200000002';

  async up(runner: QueryRunner): Promise<void> {
    const statements = [
      ...messagingTablesDdl(S),
      // state: active (operations may start) | halted (stopped: none may start) | finished
      `CREATE TABLE IF NOT EXISTS ${S}.jobs (
         job_id text PRIMARY KEY,
         operations jsonb,
         state text NOT NULL DEFAULT 'active',
         targets_complete boolean NOT NULL DEFAULT false,
         targets_total int,
         created_at timestamptz NOT NULL DEFAULT now(),
         finished_at timestamptz
       )`,
      `CREATE INDEX IF NOT EXISTS jobs_unfinished ON ${S}.jobs (state) WHERE finished_at IS NULL`,
      // status: pending | in_flight | completed | failed
      `CREATE TABLE IF NOT EXISTS ${S}.operations (
         job_id text NOT NULL,
         device_id text NOT NULL,
         status text NOT NULL DEFAULT 'pending',
         error text,
         worker_id text,
         claimed_at timestamptz,
         done_at timestamptz,
         PRIMARY KEY (job_id, device_id)
       )`,
      `CREATE INDEX IF NOT EXISTS operations_pending ON ${S}.operations (job_id, device_id) WHERE status = 'pending'`,
      `CREATE INDEX IF NOT EXISTS operations_in_flight ON ${S}.operations (worker_id) WHERE status = 'in_flight'`,
      `CREATE TABLE IF NOT EXISTS ${S}.workers (
         worker_id text PRIMARY KEY,
         heartbeat_at timestamptz NOT NULL
       )`,
    ];
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP SCHEMA IF EXISTS ${S} CASCADE`);
  }
}

/** When the first hub request of a claimed device went out: a stop waits until every claim has one. */
export class DispatcherSentAt1764200000003 implements MigrationInterface {
  name = 'DispatcherSentAt1764200000003';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${S}.operations ADD COLUMN IF NOT EXISTS sent_at timestamptz`);
    await runner.query(
      `CREATE INDEX IF NOT EXISTS operations_unsent ON ${S}.operations (job_id) WHERE status = 'in_flight' AND sent_at IS NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${S}.operations DROP COLUMN IF EXISTS sent_at`);
  }
}

/** Lets "is anything of this job still in flight?" stop at once, however large the job. */
export class DispatcherInFlightByJob1764200000004 implements MigrationInterface {
  name = 'DispatcherInFlightByJob1764200000004';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE INDEX IF NOT EXISTS operations_in_flight_by_job ON ${S}.operations (job_id) WHERE status = 'in_flight'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX IF EXISTS ${S}.operations_in_flight_by_job`);
  }
}

/**
 * A claim handed back undone: `redrive` when an earlier attempt may have changed the device,
 * `attempts` and `retry_at` to back off after failures. `sent_at` is now written before the
 * first request that may change the device leaves.
 */
export class DispatcherRedrive1764300000002 implements MigrationInterface {
  name = 'DispatcherRedrive1764300000002';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${S}.operations ADD COLUMN IF NOT EXISTS redrive boolean NOT NULL DEFAULT false`);
    await runner.query(`ALTER TABLE ${S}.operations ADD COLUMN IF NOT EXISTS attempts int NOT NULL DEFAULT 0`);
    await runner.query(`ALTER TABLE ${S}.operations ADD COLUMN IF NOT EXISTS retry_at timestamptz`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const column of ['redrive', 'attempts', 'retry_at']) {
      await runner.query(`ALTER TABLE ${S}.operations DROP COLUMN IF EXISTS ${column}`);
    }
  }
}

/**
 * A job's rollout and where it stands: the current batch and its pause, the token bucket of its
 * rate, running counts for abort rules, and why it was aborted. Each device keeps its index in
 * the job's target order (to find its batch) and the kind of its failure.
 */
export class DispatcherRollout1764500000001 implements MigrationInterface {
  name = 'DispatcherRollout1764500000001';

  async up(runner: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS rollout jsonb`,
      `ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS current_batch int NOT NULL DEFAULT 0`,
      `ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS paused_until timestamptz`,
      `ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS rate_per_minute double precision`,
      `ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS tokens double precision`,
      `ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS refilled_at timestamptz`,
      `ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS completed_count int NOT NULL DEFAULT 0`,
      `ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS failed_count int NOT NULL DEFAULT 0`,
      `ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS failed_by_kind jsonb NOT NULL DEFAULT '{}'::jsonb`,
      `ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS abort_reason text`,
      `ALTER TABLE ${S}.operations ADD COLUMN IF NOT EXISTS position int`,
      `ALTER TABLE ${S}.operations ADD COLUMN IF NOT EXISTS failure_kind text`,
      `CREATE INDEX IF NOT EXISTS operations_by_position ON ${S}.operations (job_id, position)`,
    ];
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX IF EXISTS ${S}.operations_by_position`);
    for (const column of ['position', 'failure_kind']) await runner.query(`ALTER TABLE ${S}.operations DROP COLUMN IF EXISTS ${column}`);
    const jobColumns = ['rollout', 'current_batch', 'paused_until', 'rate_per_minute', 'tokens', 'refilled_at', 'completed_count', 'failed_count', 'failed_by_kind', 'abort_reason'];
    for (const column of jobColumns) await runner.query(`ALTER TABLE ${S}.jobs DROP COLUMN IF EXISTS ${column}`);
  }
}

export const dispatcherMigrations = [
  DispatcherInitial1764200000002,
  DispatcherSentAt1764200000003,
  DispatcherInFlightByJob1764200000004,
  DispatcherRedrive1764300000002,
  deadLettersMigration(S, 'DispatcherDeadLetters1764400000001'),
  DispatcherRollout1764500000001,
  DispatcherRolloutSignals1764800000031,
  DispatcherHubPacing1764800000047,
  DispatcherPreviousValues1764900000061,
  DispatcherMaintenanceWindows1765000000121,
  DispatcherDeviceTimeZones1765000000151,
  DispatcherRetention1765200000031,
  DispatcherEndedJobs1765200000032,
  DispatcherLighterWorkUpdates1765300000011,
];
