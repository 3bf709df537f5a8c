import { randomBytes } from 'node:crypto';
import { MutationRefused } from '@fleetjobs/device-gateway';
import { JobControlStore, openPostgres } from '@fleetjobs/persistence-pg';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { testPostgresUrl } from '@fleetjobs/testing';
import { JOB_HALTED, JOB_PAUSED, JobPermits } from './job-permits';

const SERVER_URL = testPostgresUrl();
const LEASE_MS = 600;
const MARGIN_MS = 250;

describe('permits to send against halts, on PostgreSQL', () => {
  const name = `fleetjobs_test_permits_${randomBytes(5).toString('hex')}`;
  const control = new JobControlStore('job_control_test');
  let dataSource: DataSource;
  let replicas: DataSource[];

  beforeAll(async () => {
    const url = new URL(SERVER_URL);
    url.pathname = `/${name}`;
    dataSource = await openPostgres({ url: url.toString(), migrations: [] });
    for (const statement of control.ddl()) await dataSource.query(statement);
    replicas = await Promise.all([1, 2, 3].map(() => openPostgres({ url: url.toString(), migrations: [] })));
  });

  afterAll(async () => {
    await Promise.all([dataSource, ...replicas].map((source) => source.destroy()));
    const admin = new Client({ connectionString: SERVER_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  /** Halts the job and waits out the permits granted before: when the halt was asked for, and when the stop answered. */
  async function stop(jobId: string): Promise<{ haltAskedAt: number; answeredAt: number }> {
    const haltAskedAt = Date.now();
    await dataSource.transaction((tx) => control.halt(tx, jobId, 'stopped by a user'));
    for (let wait = await control.outstandingPermitMs(dataSource, jobId); wait > 0; wait = await control.outstandingPermitMs(dataSource, jobId)) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    return { haltAskedAt, answeredAt: Date.now() };
  }

  it('refuses every permit once the job is halted, and only that job', async () => {
    const permits = new JobPermits(control, dataSource, LEASE_MS, MARGIN_MS);
    await permits.acquire('halt-me');
    await stop('halt-me');
    const fresh = new JobPermits(control, dataSource, LEASE_MS, MARGIN_MS);
    await expect(fresh.acquire('halt-me')).rejects.toBeInstanceOf(MutationRefused);
    await expect(fresh.acquire('other-job')).resolves.toBeUndefined();
    expect(await control.isHalted(dataSource, 'halt-me')).toBe(true);
    expect(await control.isHalted(dataSource, 'other-job')).toBe(false);
  });

  it('makes a grant wait for a halt in progress and then refuses it', async () => {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await control.halt(runner.manager, 'racing', 'stopped by a user');
    const grant = control.grant(replicas[0], ['racing'], LEASE_MS);
    const settledEarly = await Promise.race([grant.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 300))]);
    expect(settledEarly).toBe(false);
    await runner.commitTransaction();
    await runner.release();
    expect(await grant).toEqual({ granted: [], halted: ['racing'], paused: [] });
  });

  it('makes a grant wait for a pause in progress and then refuses it as paused, until the job is resumed', async () => {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await control.pause(runner.manager, 'pausing');
    const grant = control.grant(replicas[0], ['pausing', 'not-paused'], LEASE_MS);
    const settledEarly = await Promise.race([grant.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 300))]);
    expect(settledEarly).toBe(false);
    await runner.commitTransaction();
    await runner.release();
    expect(await grant).toEqual({ granted: ['not-paused'], halted: [], paused: ['pausing'] });

    // A paused job's refusal is for now: the same process is granted a permit once it is resumed.
    const permits = new JobPermits(control, replicas[1], LEASE_MS, MARGIN_MS);
    await expect(permits.acquire('pausing')).rejects.toThrow(JOB_PAUSED);
    await dataSource.transaction((tx) => control.resume(tx, 'pausing'));
    await expect(permits.acquire('pausing')).resolves.toBeUndefined();
    // A stop of a paused job is for good, and says so.
    await dataSource.transaction((tx) => control.pause(tx, 'pausing'));
    await dataSource.transaction((tx) => control.halt(tx, 'pausing', 'stopped by a user'));
    expect(await control.grant(replicas[2], ['pausing'], LEASE_MS)).toEqual({ granted: [], halted: ['pausing'], paused: [] });
    await expect(new JobPermits(control, replicas[2], LEASE_MS, MARGIN_MS).acquire('pausing')).rejects.toThrow(JOB_HALTED);
  });

  it('lets no send of any replica happen after the stop has answered', async () => {
    const jobId = `busy-${randomBytes(3).toString('hex')}`;
    const sends: number[] = [];
    // Three dispatcher replicas, each sending as fast as its permits allow, as a busy job would.
    const workers = replicas.map(async (replica) => {
      const permits = new JobPermits(control, replica, LEASE_MS, MARGIN_MS);
      for (;;) {
        try {
          await permits.acquire(jobId);
        } catch (error) {
          if (error instanceof MutationRefused) return;
          throw error;
        }
        if (permits.holds(jobId)) sends.push(Date.now());
        await new Promise((resolve) => setImmediate(resolve));
      }
    });
    while (sends.length < 200) await new Promise((resolve) => setTimeout(resolve, 5));
    const { haltAskedAt, answeredAt } = await stop(jobId);
    await Promise.all(workers);
    expect(sends.filter((sentAt) => sentAt >= answeredAt)).toEqual([]);
    // Permits granted before the halt were still being used when it was asked for: the test had
    // something to catch (judged from the asking, not the answer, which a busy machine delays).
    expect(Math.max(...sends)).toBeGreaterThan(haltAskedAt - LEASE_MS);
  });
});
