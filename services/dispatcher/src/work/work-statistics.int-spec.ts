import { randomBytes } from 'node:crypto';
import { FactoryProvider } from '@nestjs/common';
import { openPostgres, StatisticsKeeper } from '@fleetjobs/persistence-pg';
import { testPostgresUrl } from '@fleetjobs/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dispatcherMigrations } from '../dispatcher.migrations';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';
import { DispatchIntakeRepository } from './dispatch-intake.repository';
import { workStatistics } from './work-statistics.provider';

const SERVER_URL = testPostgresUrl();

describe("the dispatcher's work tables keep their planner statistics", () => {
  const name = `fleetjobs_test_work_statistics_${randomBytes(5).toString('hex')}`;
  let dataSource: DataSource;

  beforeAll(async () => {
    const url = new URL(SERVER_URL);
    url.pathname = `/${name}`;
    dataSource = await openPostgres({ url: url.toString(), migrations: dispatcherMigrations });
  });
  afterAll(async () => {
    await dataSource?.destroy();
    const admin = new Client({ connectionString: SERVER_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  const rowsThePlannerKnows = async (): Promise<number> => {
    const [row]: { reltuples: number }[] = await dataSource.query(`SELECT reltuples FROM pg_class WHERE oid = '${S}.operations'::regclass`);
    return Number(row.reltuples);
  };

  it("analyses a job's devices once taken in", async () => {
    const keeper = (workStatistics as FactoryProvider<StatisticsKeeper>).useFactory(dataSource) as StatisticsKeeper;
    const intake = new DispatchIntakeRepository();
    const devices = Array.from({ length: 5_000 }, (_, n) => `vm-${String(n).padStart(5, '0')}`);
    await intake.registerJob(dataSource, 'big', [{ type: 'command', name: 'reboot', value: {} }]);
    for (let start = 0; start < devices.length; start += 500) await intake.addTargets(dataSource, 'big', devices.slice(start, start + 500), start);
    expect(await rowsThePlannerKnows()).toBeLessThan(devices.length);

    expect(await keeper.checkNow()).toContain(`${S}.operations`);
    expect(await rowsThePlannerKnows()).toBe(devices.length);
  });
});
