import { StatisticsKeeper } from '@fleetjobs/persistence-pg';
import { JobBatchHandler } from '../jobs/job-batch.handler';
import { PROJECTION_SCHEMA as S } from '../projection.tokens';
import { aDeviceSucceeded, aJobCreated, aJobStarted, aJobTargetsResolved } from '../testing/job-event.builders';
import { ProjectionTestApp, startProjectionApp } from '../testing/projection-test-app';
import { createProjectionTestDb, ProjectionTestDb } from '../testing/projection-test-db';

describe('the read models keep their planner statistics', () => {
  let db: ProjectionTestDb;
  let service: ProjectionTestApp;
  const devices = Array.from({ length: 6_000 }, (_, n) => `vm-${String(n).padStart(5, '0')}`);

  /** The plan of the first page of a job's completed devices, as the API lists them. */
  const completedPagePlan = async (): Promise<string> => {
    const rows: { 'QUERY PLAN': string }[] = await db.dataSource.query(
      `EXPLAIN SELECT device_id FROM ${S}.job_devices WHERE job_id = $1 AND status = $2 ORDER BY device_id LIMIT 51`,
      ['big', 'completed'],
    );
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  };

  const rowsThePlannerKnows = async (): Promise<number> => {
    const [row]: { reltuples: number }[] = await db.dataSource.query(`SELECT reltuples FROM pg_class WHERE oid = '${S}.job_devices'::regclass`);
    return Number(row.reltuples);
  };

  beforeAll(async () => {
    db = await createProjectionTestDb();
    service = await startProjectionApp(db.dataSource);
    // The keeper's own tick could come between the last batch and the test on a slow machine; the test checks on its behalf.
    await service.app.get(StatisticsKeeper).stop();
    const handler = service.app.get(JobBatchHandler);
    await handler.apply([aJobCreated('big'), aJobStarted('big', devices.length)]);
    for (let start = 0; start < devices.length; start += 500) {
      const chunk = devices.slice(start, start + 500);
      await handler.apply([aJobTargetsResolved('big', chunk, start / 500), ...chunk.map((id) => aDeviceSucceeded('big', id))]);
    }
  }, 120_000);
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it("analyses a job's devices once they outgrow their statistics, after which a filtered page reads in index order", async () => {
    expect(await rowsThePlannerKnows()).toBeLessThan(devices.length);
    expect(await service.app.get(StatisticsKeeper).checkNow()).toContain(`${S}.job_devices`);
    expect(await rowsThePlannerKnows()).toBe(devices.length);

    expect(await completedPagePlan()).not.toMatch(/Sort/);
  });
});
