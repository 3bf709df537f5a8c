import { deadLettersMigration } from '@fleetjobs/persistence-pg';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { ProjectionAuditEntries1764900000010 } from './audit/audit-entries.migration';
import { ProjectionJobApproval1764900000030 } from './jobs/job-approval.migration';
import { ProjectionJobMoments1764900000175 } from './jobs/job-moments.migration';
import { ProjectionJobRerunOf1764900000110 } from './jobs/job-rerun-of.migration';
import { ProjectionJobRevertOf1765000000161 } from './jobs/job-revert-of.migration';
import { ProjectionJobScheduleRun1765100000120 } from './jobs/job-schedule-run.migration';
import { ProjectionJobSchedule1765000000110 } from './jobs/job-schedule.migration';
import { ProjectionJobWaitingFor1764900000310 } from './jobs/job-waiting-for.migration';
import { ProjectionJobSettled1764900000200 } from './jobs/job-settled.migration';
import { PROJECTION_SCHEMA as S } from './projection.tokens';
import { ProjectionRolloutProgress1764800000033 } from './rollout/rollout-progress.migration';

/**
 * The read models: jobs (definition, status, stored counts), their devices, and the devices
 * deleted recently (so that target rows arriving after a deletion are marked too).
 */
export class ProjectionInitial1700000000501 implements MigrationInterface {
  name = 'ProjectionInitial1700000000501';

  async up(runner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE SCHEMA IF NOT EXISTS ${S}`,
      // Ids compare byte-wise ("C"): lists page in the same order on every server and locale.
      `CREATE TABLE IF NOT EXISTS ${S}.jobs (
         id text COLLATE "C" PRIMARY KEY,
         display_name text NOT NULL DEFAULT '',
         description text NOT NULL DEFAULT '',
         device_set text NOT NULL DEFAULT '',
         devices jsonb,
         operations jsonb NOT NULL DEFAULT '[]',
         status text NOT NULL DEFAULT 'pending',
         -- Jobs still to run or running come first in the list.
         rank smallint GENERATED ALWAYS AS (CASE WHEN status IN ('pending', 'running') THEN 0 ELSE 1 END) STORED,
         error text,
         created_at timestamptz,
         started_at timestamptz,
         ended_at timestamptz,
         target_total integer,
         device_count integer NOT NULL DEFAULT 0,
         pending_count integer NOT NULL DEFAULT 0,
         completed_count integer NOT NULL DEFAULT 0,
         failed_count integer NOT NULL DEFAULT 0,
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX IF NOT EXISTS jobs_list ON ${S}.jobs (rank, created_at DESC, id DESC) WHERE created_at IS NOT NULL`,
      `CREATE INDEX IF NOT EXISTS jobs_by_status ON ${S}.jobs (status, created_at DESC, id DESC) WHERE created_at IS NOT NULL`,
      `CREATE INDEX IF NOT EXISTS jobs_ended_at ON ${S}.jobs (ended_at) WHERE ended_at IS NOT NULL`,
      `CREATE TABLE IF NOT EXISTS ${S}.job_devices (
         job_id text COLLATE "C" NOT NULL,
         device_id text COLLATE "C" NOT NULL,
         display_name text,
         status text NOT NULL,
         error text,
         deleted boolean NOT NULL DEFAULT false,
         PRIMARY KEY (job_id, device_id)
       )`,
      `CREATE INDEX IF NOT EXISTS job_devices_by_status ON ${S}.job_devices (job_id, status, device_id)`,
      `CREATE INDEX IF NOT EXISTS job_devices_by_device ON ${S}.job_devices (device_id)`,
      `CREATE TABLE IF NOT EXISTS ${S}.deleted_devices (
         device_id text COLLATE "C" PRIMARY KEY,
         deleted_at timestamptz NOT NULL
       )`,
    ];
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP SCHEMA IF EXISTS ${S} CASCADE`);
  }
}

/** A paused job is still to run: it lists with the pending and running ones. */
export class ProjectionPausedRank1764800000072 implements MigrationInterface {
  name = 'ProjectionPausedRank1764800000072';

  async up(runner: QueryRunner): Promise<void> {
    await this.rank(runner, `('pending', 'running', 'paused')`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await this.rank(runner, `('pending', 'running')`);
  }

  private async rank(runner: QueryRunner, active: string): Promise<void> {
    // A generated column cannot be redefined in place; dropping it drops the list's index too.
    await runner.query(`ALTER TABLE ${S}.jobs DROP COLUMN IF EXISTS rank`);
    await runner.query(
      `ALTER TABLE ${S}.jobs ADD COLUMN rank smallint GENERATED ALWAYS AS (CASE WHEN status IN ${active} THEN 0 ELSE 1 END) STORED`,
    );
    await runner.query(`CREATE INDEX IF NOT EXISTS jobs_list ON ${S}.jobs (rank, created_at DESC, id DESC) WHERE created_at IS NOT NULL`);
  }
}

export const projectionMigrations = [
  ProjectionInitial1700000000501,
  deadLettersMigration(S, 'ProjectionDeadLetters1764400000001'),
  ProjectionPausedRank1764800000072,
  ProjectionRolloutProgress1764800000033,
  ProjectionAuditEntries1764900000010,
  ProjectionJobApproval1764900000030,
  ProjectionJobRerunOf1764900000110,
  ProjectionJobWaitingFor1764900000310,
  ProjectionJobMoments1764900000175,
  ProjectionJobSettled1764900000200,
  ProjectionJobSchedule1765000000110,
  ProjectionJobRevertOf1765000000161,
  ProjectionJobScheduleRun1765100000120,
];
