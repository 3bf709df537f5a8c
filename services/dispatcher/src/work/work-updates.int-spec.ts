import { randomBytes } from 'node:crypto';
import { openPostgres, queryRows } from '@fleetjobs/persistence-pg';
import { testPostgresUrl } from '@fleetjobs/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dispatcherMigrations } from '../dispatcher.migrations';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';
import { PreviousValuesRepository } from '../operations/previous-values.repository';
import { claimPlainWork } from './dispatch-claim.statement';
import { DispatchIntakeRepository } from './dispatch-intake.repository';

const SERVER_URL = testPostgresUrl();
const LOCATION = [{ type: 'property' as const, name: 'location', value: 'plant-7' }];

describe("a device's work row, on PostgreSQL", () => {
  const name = `fleetjobs_test_work_updates_${randomBytes(5).toString('hex')}`;
  let dataSource: DataSource;

  beforeAll(async () => {
    const url = new URL(SERVER_URL);
    url.pathname = `/${name}`;
    // One connection: the session whose counts are flushed is the one that wrote.
    dataSource = await openPostgres({ url: url.toString(), migrations: dispatcherMigrations, poolSize: 1 });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    const admin = new Client({ connectionString: SERVER_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  async function updateCounts(): Promise<{ updates: number; hot: number }> {
    await dataSource.query(`SELECT pg_stat_force_next_flush()`);
    const [row] = await queryRows<{ updates: string; hot: string }>(
      dataSource,
      `SELECT n_tup_upd AS updates, n_tup_hot_upd AS hot FROM pg_stat_user_tables WHERE relid = $1::regclass`,
      [`${S}.operations`],
    );
    return { updates: Number(row.updates), hot: Number(row.hot) };
  }

  it('given claimed devices, when marked sent, then the marks stay beside their rows and touch no index', async () => {
    const intake = new DispatchIntakeRepository();
    const devices = Array.from({ length: 40 }, (_, index) => `d-${String(index).padStart(2, '0')}`);
    await intake.registerJob(dataSource, 'job', LOCATION);
    await intake.addTargets(dataSource, 'job', devices, 0);
    await intake.completeTargets(dataSource, 'job', devices.length);
    const claim = await claimPlainWork(dataSource, 'worker-1', devices.length);
    expect(claim.claimed).toHaveLength(devices.length);
    const before = await updateCounts();

    const marked = await new PreviousValuesRepository(dataSource).markSent(
      'worker-1',
      claim.claimed.map((unit) => ({ jobId: unit.jobId, deviceId: unit.deviceId })),
    );

    expect(marked.size).toBe(devices.length);
    const after = await updateCounts();
    expect(after.updates - before.updates).toBe(devices.length);
    expect(after.hot - before.hot).toBe(devices.length);
  });
});
