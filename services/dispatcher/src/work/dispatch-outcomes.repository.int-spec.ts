import { randomBytes } from 'node:crypto';
import { openPostgres, PgUnitOfWork } from '@fleetjobs/persistence-pg';
import { testPostgresUrl } from '@fleetjobs/testing';
import { Client } from 'pg';
import { register } from 'prom-client';
import { DataSource } from 'typeorm';
import { dispatcherMigrations } from '../dispatcher.migrations';
import { DISPATCHER_SCHEMA } from '../dispatcher.schema';
import { DispatchClaimRepository } from './dispatch-claim.repository';
import { DispatchIntakeRepository } from './dispatch-intake.repository';
import { DispatchOutcomesRepository } from './dispatch-outcomes.repository';

const SERVER_URL = testPostgresUrl();
const REBOOT = [{ type: 'command' as const, name: 'reboot', value: {} }];

async function outcomeCount(labels: { result: string; kind: string }): Promise<number> {
  const metric = await register.getSingleMetric('fleetjobs_device_outcomes_total')!.get();
  return metric.values.find((value) => value.labels.result === labels.result && value.labels.kind === labels.kind)?.value ?? 0;
}

describe('device outcomes on /metrics', () => {
  const name = `fleetjobs_test_outcome_metrics_${randomBytes(5).toString('hex')}`;
  let dataSource: DataSource;
  const intake = new DispatchIntakeRepository();
  let claims: DispatchClaimRepository;
  let results: DispatchOutcomesRepository;

  beforeAll(async () => {
    const url = new URL(SERVER_URL);
    url.pathname = `/${name}`;
    dataSource = await openPostgres({ url: url.toString(), migrations: dispatcherMigrations });
    claims = new DispatchClaimRepository(dataSource);
    results = new DispatchOutcomesRepository(dataSource, new PgUnitOfWork({ dataSource, schema: DISPATCHER_SCHEMA }));
  });

  afterAll(async () => {
    await dataSource?.destroy();
    const admin = new Client({ connectionString: SERVER_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it('counts each recorded outcome once, by result and kind of failure, and not one a worker no longer holds', async () => {
    await intake.registerJob(dataSource, 'counted', REBOOT);
    await intake.addTargets(dataSource, 'counted', ['d-1', 'd-2', 'd-3'], 0);
    const claimed = await claims.claim('worker-1', 10);
    expect(claimed.map((unit) => unit.deviceId).sort()).toEqual(['d-1', 'd-2', 'd-3']);
    const before = {
      succeeded: await outcomeCount({ result: 'succeeded', kind: 'none' }),
      offline: await outcomeCount({ result: 'failed', kind: 'offline' }),
      timeout: await outcomeCount({ result: 'failed', kind: 'timeout' }),
    };

    await results.recordOutcomes('worker-1', [
      { jobId: 'counted', deviceId: 'd-1', ok: true, error: null },
      { jobId: 'counted', deviceId: 'd-2', ok: false, error: 'device d-2 is offline (not connected)' },
      { jobId: 'counted', deviceId: 'd-3', ok: false, error: 'the device did not acknowledge the setting in time' },
    ]);
    // Recorded already: a second report of the same devices changes nothing and counts nothing.
    await results.recordOutcomes('worker-1', [{ jobId: 'counted', deviceId: 'd-1', ok: true, error: null }]);

    expect(await outcomeCount({ result: 'succeeded', kind: 'none' })).toBe(before.succeeded + 1);
    expect(await outcomeCount({ result: 'failed', kind: 'offline' })).toBe(before.offline + 1);
    expect(await outcomeCount({ result: 'failed', kind: 'timeout' })).toBe(before.timeout + 1);
  });
});
