import { accessMigrations } from '@fleetjobs/access';
import { deadLettersMigration, eventStoreActorDdl, eventStoreDdl, JobControlStore, messagingTablesDdl } from '@fleetjobs/persistence-pg';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { JOB_COMMAND_SCHEMA } from './job-command.schema';
import { activeJobsStore } from './jobs/active-jobs/active-jobs.store';
import { dueStartsStore } from './jobs/schedule/due-starts.store';
import { jobQueueStore } from './jobs/job-queue/job-queue.store';
import { schedulesStore } from './jobs/schedule/schedules.store';

export class JobCommandInitial1764200000001 implements MigrationInterface {
  name = 'JobCommandInitial1764200000001';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of [...messagingTablesDdl(JOB_COMMAND_SCHEMA), ...eventStoreDdl(JOB_COMMAND_SCHEMA)]) {
      await runner.query(statement);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP SCHEMA IF EXISTS ${JOB_COMMAND_SCHEMA} CASCADE`);
  }
}

/** A job's halt and the dispatchers' permits to send, decided in one place (see JobControlStore). */
export class JobCommandJobControl1764300000001 implements MigrationInterface {
  name = 'JobCommandJobControl1764300000001';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of new JobControlStore(JOB_COMMAND_SCHEMA).ddl()) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE IF EXISTS ${JOB_COMMAND_SCHEMA}.job_control`);
  }
}

/** A paused job gets no permit to send until it is resumed (see JobControlStore). */
export class JobCommandJobPause1764800000071 implements MigrationInterface {
  name = 'JobCommandJobPause1764800000071';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of new JobControlStore(JOB_COMMAND_SCHEMA).pauseDdl()) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${JOB_COMMAND_SCHEMA}.job_control DROP COLUMN IF EXISTS paused_at`);
  }
}

/** Each event keeps who sent the command that decided it, so a re-read event still says so. */
export class JobCommandEventActor1764900000001 implements MigrationInterface {
  name = 'JobCommandEventActor1764900000001';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of eventStoreActorDdl(JOB_COMMAND_SCHEMA)) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${JOB_COMMAND_SCHEMA}.events DROP COLUMN IF EXISTS actor`);
  }
}

/** The jobs active now, so that no more than MAX_ACTIVE_JOBS run at once (see activeJobsStore). */
export class JobCommandActiveJobs1764900000201 implements MigrationInterface {
  name = 'JobCommandActiveJobs1764900000201';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of activeJobsStore.ddl()) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE IF EXISTS ${JOB_COMMAND_SCHEMA}.active_jobs`);
  }
}

/** The scheduled starts still to be reached (see dueStartsStore). */
export class JobCommandDueStarts1765000000101 implements MigrationInterface {
  name = 'JobCommandDueStarts1765000000101';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of dueStartsStore.ddl()) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE IF EXISTS ${JOB_COMMAND_SCHEMA}.due_starts`);
  }
}

/** The queued jobs and the jobs each waits for (see jobQueueStore). */
export class JobCommandJobQueue1764900000301 implements MigrationInterface {
  name = 'JobCommandJobQueue1764900000301';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of jobQueueStore.ddl()) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE IF EXISTS ${JOB_COMMAND_SCHEMA}.job_waits`);
  }
}

/** The recurring schedules as the API shows them (see schedulesStore). */
export class JobCommandSchedules1765100000101 implements MigrationInterface {
  name = 'JobCommandSchedules1765100000101';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of schedulesStore.ddl()) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE IF EXISTS ${JOB_COMMAND_SCHEMA}.schedules`);
  }
}

export const jobCommandMigrations = [
  JobCommandInitial1764200000001,
  JobCommandJobControl1764300000001,
  deadLettersMigration(JOB_COMMAND_SCHEMA, 'JobCommandDeadLetters1764400000001'),
  JobCommandJobPause1764800000071,
  JobCommandEventActor1764900000001,
  JobCommandActiveJobs1764900000201,
  JobCommandDueStarts1765000000101,
  JobCommandJobQueue1764900000301,
  JobCommandSchedules1765100000101,
  // The AccessModule it hosts keeps its API tokens in the same database (schema access).
  ...accessMigrations,
];
