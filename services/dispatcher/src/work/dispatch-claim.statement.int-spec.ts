import { randomBytes } from 'node:crypto';
import { openPostgres, queryRows, UnitOfWork } from '@fleetjobs/persistence-pg';
import { countingStatements, testPostgresUrl } from '@fleetjobs/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dispatcherMigrations } from '../dispatcher.migrations';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';
import { ClaimCursor } from './claim-cursors';
import { claimPlainWork } from './dispatch-claim.statement';
import { DispatchClaimRepository } from './dispatch-claim.repository';
import { DispatchIntakeRepository } from './dispatch-intake.repository';
import { DispatchOutcomesRepository } from './dispatch-outcomes.repository';

const SERVER_URL = testPostgresUrl();
const REBOOT = [{ type: 'command' as const, name: 'reboot', value: {} }];
/** Outcomes are never recorded here. */
const noUnitOfWork = { run: () => Promise.reject(new Error('not used by claims')) } as unknown as UnitOfWork;

describe('a claim of plain jobs in one statement, on PostgreSQL', () => {
  const name = `fleetjobs_test_plain_claims_${randomBytes(5).toString('hex')}`;
  let dataSource: DataSource;
  let replicas: DataSource[];
  const intake = new DispatchIntakeRepository();
  let claims: DispatchClaimRepository;
  let results: DispatchOutcomesRepository;

  beforeAll(async () => {
    const url = new URL(SERVER_URL);
    url.pathname = `/${name}`;
    dataSource = await openPostgres({ url: url.toString(), migrations: dispatcherMigrations });
    replicas = await Promise.all([1, 2, 3].map(() => openPostgres({ url: url.toString(), migrations: [] })));
    claims = new DispatchClaimRepository(dataSource);
    results = new DispatchOutcomesRepository(dataSource, noUnitOfWork);
  });

  afterAll(async () => {
    await Promise.all([dataSource, ...(replicas ?? [])].map((source) => source?.destroy()));
    const admin = new Client({ connectionString: SERVER_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  beforeEach(async () => {
    await dataSource.query(`TRUNCATE ${S}.jobs, ${S}.operations`);
  });

  const deviceIds = (prefix: string, count: number) => Array.from({ length: count }, (_, index) => `${prefix}-${String(index).padStart(3, '0')}`);

  async function plainJob(jobId: string, devices: string[]): Promise<void> {
    await intake.registerJob(dataSource, jobId, REBOOT);
    await intake.addTargets(dataSource, jobId, devices, 0);
    await intake.completeTargets(dataSource, jobId, devices.length);
  }


  it('given plain jobs, when claimed, then one statement takes a fair share of each with its operations and marks them in flight', async () => {
    await plainJob('one', deviceIds('a', 10));
    await plainJob('two', deviceIds('b', 10));
    const { executor, statements } = countingStatements(dataSource);

    const claim = await claimPlainWork(executor, 'worker-1', 8);

    expect(statements).toHaveLength(1);
    expect(claim.ruled).toBe(false);
    expect(claim.claimed.filter((unit) => unit.jobId === 'one')).toHaveLength(4);
    expect(claim.claimed.filter((unit) => unit.jobId === 'two')).toHaveLength(4);
    expect(claim.claimed[0]).toMatchObject({ operations: REBOOT, redrive: false, attempts: 0 });
    const inFlight = await queryRows<{ device_id: string }>(
      dataSource,
      `SELECT device_id FROM ${S}.operations WHERE status = 'in_flight' AND worker_id = 'worker-1' ORDER BY device_id`,
    );
    expect(inFlight.map((row) => row.device_id)).toEqual(claim.claimed.map((unit) => unit.deviceId).sort());
  });

  it('given three dispatchers claiming at once, each following its cursors, then every device is claimed exactly once', async () => {
    const devices = deviceIds('c', 300);
    await plainJob('raced', devices);
    const claimed: string[] = [];
    await Promise.all(
      replicas.map(async (replica, index) => {
        // Each with the cursors of its own claims, as a dispatcher process keeps them.
        for (let cursors: ClaimCursor[] = []; ; ) {
          const claim = await claimPlainWork(replica, `worker-${index}`, 7, cursors);
          cursors = claim.cursors;
          if (claim.claimed.length === 0) return;
          claimed.push(...claim.claimed.map((unit) => unit.deviceId));
        }
      }),
    );
    expect(claimed.sort()).toEqual(devices);
  });

  it('given a job with a rollout, a rate or windows among the active ones, then nothing is claimed and the claim says so', async () => {
    await plainJob('plain', deviceIds('p', 5));
    await intake.registerJob(dataSource, 'batched', REBOOT, { batches: { size: 2 } });
    await intake.addTargets(dataSource, 'batched', deviceIds('r', 5), 0);
    await intake.completeTargets(dataSource, 'batched', 5);

    expect(await claimPlainWork(dataSource, 'worker-1', 10)).toEqual({ claimed: [], ruled: true, cursors: [] });
    // The claim's transaction decides them all: the batch's two devices and the plain job's.
    const units = await claims.claim('worker-1', 10);
    expect(units.filter((unit) => unit.jobId === 'batched')).toHaveLength(2);
    expect(units.filter((unit) => unit.jobId === 'plain')).toHaveLength(5);
  });

  it('given a job halted or paused, then none of its devices is claimed, and a resumed one is claimed again', async () => {
    await plainJob('halted', deviceIds('h', 3));
    await plainJob('paused', deviceIds('q', 3));
    await intake.halt(dataSource, 'halted');
    await intake.pause(dataSource, 'paused');
    expect(await claimPlainWork(dataSource, 'worker-1', 10)).toEqual({ claimed: [], ruled: false, cursors: [] });
    await intake.resume(dataSource, 'paused');
    expect((await claimPlainWork(dataSource, 'worker-1', 10)).claimed.map((unit) => unit.deviceId).sort()).toEqual(deviceIds('q', 3));
  });
  it("given a job's cursor, then its devices after the cursor are claimed first, and those before it once too few are left after it", async () => {
    const devices = deviceIds('k', 10);
    await plainJob('cursored', devices);
    const cursors = [{ jobId: 'cursored', after: devices[5] }];

    const first = await claimPlainWork(dataSource, 'worker-1', 3, cursors);
    expect(first.claimed.map((unit) => unit.deviceId)).toEqual(devices.slice(6, 9));
    expect(first.cursors).toEqual([{ jobId: 'cursored', after: devices[8] }]);

    const second = await claimPlainWork(dataSource, 'worker-1', 3, first.cursors);
    expect(second.claimed.map((unit) => unit.deviceId).sort()).toEqual([devices[0], devices[1], devices[9]]);
    const rest = await claimPlainWork(dataSource, 'worker-1', 10, second.cursors);
    expect(rest.claimed.map((unit) => unit.deviceId).sort()).toEqual(devices.slice(2, 6));
    expect((await claimPlainWork(dataSource, 'worker-1', 10, rest.cursors)).claimed).toEqual([]);
  });

  it('given a device handed back behind the cursor, then a claim with the cursor takes it again', async () => {
    const devices = deviceIds('m', 4);
    await plainJob('handed-back', devices);
    const first = await claimPlainWork(dataSource, 'worker-1', 4);
    expect(first.cursors).toEqual([{ jobId: 'handed-back', after: devices[3] }]);
    await results.release('worker-1', [{ jobId: 'handed-back', deviceId: devices[1], redrive: false, error: null, counted: false, halted: false }]);

    const again = await claimPlainWork(dataSource, 'worker-1', 4, first.cursors);

    expect(again.claimed.map((unit) => unit.deviceId)).toEqual([devices[1]]);
  });
  it('given a job with a rollout and a device handed back behind the cursor, then the claim takes the devices after the cursor and that one', async () => {
    const devices = deviceIds('n', 6);
    await intake.registerJob(dataSource, 'ruled-cursor', REBOOT, { batches: { size: 10 } });
    await intake.addTargets(dataSource, 'ruled-cursor', devices, 0);
    await intake.completeTargets(dataSource, 'ruled-cursor', devices.length);
    expect((await claims.claim('worker-1', 3)).map((unit) => unit.deviceId)).toEqual(devices.slice(0, 3));
    await results.release('worker-1', [{ jobId: 'ruled-cursor', deviceId: devices[1], redrive: false, error: null, counted: false, halted: false }]);

    const again = await claims.claim('worker-1', 10);

    expect(again.map((unit) => unit.deviceId).sort()).toEqual([devices[1], ...devices.slice(3)]);
  });

  it('given a large job mostly done, when claimed without a cursor, then the claim finds its ready devices in the pending index, not by reading the done ones', async () => {
    const devices = Array.from({ length: 20_000 }, (_, index) => `big-${String(index).padStart(5, '0')}`);
    await plainJob('big', devices);
    await dataSource.query(`UPDATE ${S}.operations SET status = 'completed', done_at = now() WHERE job_id = 'big' AND device_id < $1`, [devices[16_000]]);
    await dataSource.query(`VACUUM ANALYZE ${S}.operations`);

    const plan = await explainedClaim(dataSource, 'worker-1', 16);

    expect(plan.claimed).toBe(16);
    // Reading the done devices' rows takes hundreds of pages; the pending index, a handful.
    expect(plan.pagesToFindReadyJobs).toBeLessThan(30);
  });
});

interface PlanNode {
  'Subplan Name'?: string;
  'Actual Rows': number;
  'Shared Hit Blocks': number;
  'Shared Read Blocks': number;
  Plans?: PlanNode[];
}

/**
 * Runs a claim under EXPLAIN ANALYZE in a transaction rolled back: how many devices it claimed,
 * and how many pages it read to find the jobs with a device ready (its CTEs `plain` and `ruled`).
 */
async function explainedClaim(dataSource: DataSource, workerId: string, limit: number): Promise<{ claimed: number; pagesToFindReadyJobs: number }> {
  const runner = dataSource.createQueryRunner();
  let explained: { Plan: PlanNode } | undefined;
  const explaining = {
    createQueryRunner: () => ({
      connect: async () => ({
        query: async (config: { text: string; values: unknown[] }) => {
          const [row] = await runner.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${config.text}`, config.values);
          explained = row['QUERY PLAN'][0];
          return { rows: [] };
        },
      }),
      release: async () => undefined,
    }),
  } as unknown as DataSource;
  try {
    await runner.startTransaction();
    await claimPlainWork(explaining, workerId, limit);
    await runner.rollbackTransaction();
  } finally {
    await runner.release();
  }
  const plan = explained!.Plan;
  const finding = (plan.Plans ?? []).filter((node) => node['Subplan Name'] === 'CTE plain' || node['Subplan Name'] === 'CTE ruled');
  expect(finding).toHaveLength(2);
  return { claimed: plan['Actual Rows'], pagesToFindReadyJobs: finding.reduce((sum, node) => sum + node['Shared Hit Blocks'] + node['Shared Read Blocks'], 0) };
}
