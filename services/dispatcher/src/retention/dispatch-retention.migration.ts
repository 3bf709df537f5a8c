import { MigrationInterface, QueryRunner } from 'typeorm';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';

/**
 * When a retention sweep first saw a job halted and unfinished: a job stopped before any target
 * arrived never finishes its dispatch, and this stands for its end (at most a sweep's interval
 * after the stop, so its rows are kept a little longer, never dropped early). The index finds the
 * reverts of a job, whose previous values stay while one of them is still under way.
 */
export class DispatcherRetention1765200000031 implements MigrationInterface {
  name = 'DispatcherRetention1765200000031';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS halt_seen_at timestamptz`);
    await runner.query(`CREATE INDEX IF NOT EXISTS reverts_by_original ON ${S}.reverts (revert_of)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX IF EXISTS ${S}.reverts_by_original`);
    await runner.query(`ALTER TABLE ${S}.jobs DROP COLUMN IF EXISTS halt_seen_at`);
  }
}

/**
 * When a sweep dropped a job's rows, and the ended jobs whose rows are still to be dropped, in the
 * order they ended: a sweep walks from where its last round stopped to the next one, and never
 * reads again the jobs it emptied, however many the deployment ran.
 */
export class DispatcherEndedJobs1765200000032 implements MigrationInterface {
  name = 'DispatcherEndedJobs1765200000032';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS rows_dropped_at timestamptz`);
    await runner.query(
      `CREATE INDEX IF NOT EXISTS jobs_ended ON ${S}.jobs ((coalesce(finished_at, halt_seen_at)), job_id)
       WHERE rows_dropped_at IS NULL AND coalesce(finished_at, halt_seen_at) IS NOT NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX IF EXISTS ${S}.jobs_ended`);
    await runner.query(`ALTER TABLE ${S}.jobs DROP COLUMN IF EXISTS rows_dropped_at`);
  }
}
