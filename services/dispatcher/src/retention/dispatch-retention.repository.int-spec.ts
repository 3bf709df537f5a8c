import { randomBytes } from 'node:crypto';
import { openPostgres, PgUnitOfWork } from '@fleetjobs/persistence-pg';
import { testPostgresUrl } from '@fleetjobs/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dispatcherMigrations } from '../dispatcher.migrations';
import { DISPATCHER_SCHEMA } from '../dispatcher.schema';
import { PreviousValuesRepository } from '../operations/previous-values.repository';
import { DispatchHousekeepingRepository } from '../work/dispatch-housekeeping.repository';
import { DispatchIntakeRepository } from '../work/dispatch-intake.repository';
import { DispatchOutcomesRepository } from '../work/dispatch-outcomes.repository';
import { DispatchRetentionRepository } from './dispatch-retention.repository';

const SERVER_URL = testPostgresUrl();
const FAN_SPEED = [{ type: 'setting' as const, name: 'fanSpeed', value: 7 }];
const RETENTION_DAYS = 30;

describe('dropping the work rows and previous values of jobs past the retention, on PostgreSQL', () => {
  const name = `fleetjobs_test_dispatch_retention_${randomBytes(5).toString('hex')}`;
  let dataSource: DataSource;
  const intake = new DispatchIntakeRepository();
  let results: DispatchOutcomesRepository;
  let housekeeping: DispatchHousekeepingRepository;
  let previousValues: PreviousValuesRepository;
  let retention: DispatchRetentionRepository;

  beforeAll(async () => {
    const url = new URL(SERVER_URL);
    url.pathname = `/${name}`;
    dataSource = await openPostgres({ url: url.toString(), migrations: dispatcherMigrations });
    const uow = new PgUnitOfWork({ dataSource, schema: DISPATCHER_SCHEMA });
    results = new DispatchOutcomesRepository(dataSource, uow);
    housekeeping = new DispatchHousekeepingRepository(dataSource, uow);
    previousValues = new PreviousValuesRepository(dataSource);
    retention = new DispatchRetentionRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    const admin = new Client({ connectionString: SERVER_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  const deviceIds = (jobId: string, count: number) => Array.from({ length: count }, (_, index) => `${jobId}-d${index}`);

  /** A job whose first `done` devices were sent their setting (previous value kept) and concluded. */
  async function startJob(jobId: string, devices: number, done: number, revertOf?: string): Promise<void> {
    await intake.registerJob(dataSource, jobId, FAN_SPEED);
    if (revertOf) await previousValues.registerRevert(dataSource, jobId, revertOf);
    await intake.addTargets(dataSource, jobId, deviceIds(jobId, devices), 0);
    await intake.completeTargets(dataSource, jobId, devices);
    await dataSource.query(
      `UPDATE dispatcher.operations SET status = 'in_flight', worker_id = 'w1' WHERE job_id = $1 AND device_id = ANY($2::text[])`,
      [jobId, deviceIds(jobId, done)],
    );
    const keep = [{ kind: 'setting', name: 'fanSpeed', previous: { present: true as const, value: 3 } }];
    await previousValues.markSent('w1', deviceIds(jobId, done).map((deviceId) => ({ jobId, deviceId, keep })));
    await results.recordOutcomes('w1', deviceIds(jobId, done).map((deviceId) => ({ jobId, deviceId, ok: true, error: null })));
  }

  async function finishJob(jobId: string, daysAgo: number): Promise<void> {
    expect(await housekeeping.finishJobs([jobId])).toEqual([jobId]);
    await dataSource.query(`UPDATE dispatcher.jobs SET finished_at = now() - make_interval(days => $2::int) WHERE job_id = $1`, [jobId, daysAgo]);
  }

  async function rowsOf(jobId: string): Promise<{ work: number; values: number; job: number }> {
    const [row] = await dataSource.query(
      `SELECT (SELECT count(*)::int FROM dispatcher.operations WHERE job_id = $1) AS work,
              (SELECT count(*)::int FROM dispatcher.previous_values WHERE job_id = $1) AS values,
              (SELECT count(*)::int FROM dispatcher.jobs WHERE job_id = $1) AS job`,
      [jobId],
    );
    return row;
  }

  it('drops the rows of a job finished past the retention, in small rounds, and keeps those of one inside it and of one running', async () => {
    await startJob('old', 25, 25);
    await finishJob('old', RETENTION_DAYS + 1);
    await startJob('recent', 5, 5);
    await finishJob('recent', RETENTION_DAYS - 1);
    await startJob('running', 5, 2);
    await dataSource.query(`UPDATE dispatcher.jobs SET created_at = now() - interval '400 days' WHERE job_id = 'running'`);

    const swept = await retention.dropEnded(RETENTION_DAYS, 10);

    expect(swept).toEqual({ jobs: 1, rows: 50 });
    // The job's own row stays, finished: a replayed event of it can never make it claimable again.
    expect(await rowsOf('old')).toEqual({ work: 0, values: 0, job: 1 });
    expect(await rowsOf('recent')).toEqual({ work: 5, values: 5, job: 1 });
    expect(await rowsOf('running')).toEqual({ work: 5, values: 2, job: 1 });
    expect(await retention.dropEnded(RETENTION_DAYS, 10)).toEqual({ jobs: 0, rows: 0 });
  });

  it('keeps a paused job and drops a job stopped before its targets, once seen halted past the retention', async () => {
    await startJob('paused', 4, 1);
    await intake.pause(dataSource, 'paused');
    await dataSource.query(`UPDATE dispatcher.jobs SET created_at = now() - interval '400 days' WHERE job_id = 'paused'`);
    await intake.registerJob(dataSource, 'stopped-early', FAN_SPEED);
    await intake.halt(dataSource, 'stopped-early');
    // A target chunk that arrives after the stop: it never starts, and the job never finishes.
    await intake.addTargets(dataSource, 'stopped-early', deviceIds('stopped-early', 3), 0);

    expect(await retention.dropEnded(RETENTION_DAYS)).toEqual({ jobs: 0, rows: 0 });
    expect(await rowsOf('stopped-early')).toEqual({ work: 3, values: 0, job: 1 });

    await dataSource.query(`UPDATE dispatcher.jobs SET halt_seen_at = halt_seen_at - interval '31 days' WHERE job_id = 'stopped-early'`);
    expect(await retention.dropEnded(RETENTION_DAYS)).toEqual({ jobs: 1, rows: 3 });
    expect(await rowsOf('stopped-early')).toEqual({ work: 0, values: 0, job: 1 });
    expect(await rowsOf('paused')).toEqual({ work: 4, values: 1, job: 1 });
  });

  it('keeps the previous values of a job past the retention while a revert of it is under way', async () => {
    await startJob('reverted', 3, 3);
    await finishJob('reverted', RETENTION_DAYS + 5);
    await startJob('revert-of-reverted', 3, 0, 'reverted');

    expect(await retention.dropEnded(RETENTION_DAYS)).toEqual({ jobs: 0, rows: 0 });
    expect(await rowsOf('reverted')).toEqual({ work: 3, values: 3, job: 1 });

    await intake.halt(dataSource, 'revert-of-reverted');
    await finishJob('revert-of-reverted', 0);
    expect(await retention.dropEnded(RETENTION_DAYS)).toEqual({ jobs: 1, rows: 6 });
  });

  it('lets two sweeps race: both succeed and every row is dropped once', async () => {
    const jobs = ['race-a', 'race-b', 'race-c', 'race-d'];
    for (const jobId of jobs) {
      await startJob(jobId, 30, 30);
      await finishJob(jobId, RETENTION_DAYS + 2);
    }

    const [first, second] = await Promise.all([retention.dropEnded(RETENTION_DAYS, 7), retention.dropEnded(RETENTION_DAYS, 7)]);

    expect({ jobs: first.jobs + second.jobs, rows: first.rows + second.rows }).toEqual({ jobs: jobs.length, rows: jobs.length * 60 });
    for (const jobId of jobs) expect(await rowsOf(jobId)).toEqual({ work: 0, values: 0, job: 1 });
  });
});
