import { randomBytes } from 'node:crypto';
import { openPostgres } from '@fleetjobs/persistence-pg';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { testPostgresUrl } from '@fleetjobs/testing';
import { dispatcherMigrations } from '../dispatcher.migrations';
import { DispatchClaimRepository } from './dispatch-claim.repository';
import { DispatchIntakeRepository } from './dispatch-intake.repository';

const SERVER_URL = testPostgresUrl();
const REBOOT = [{ type: 'command' as const, name: 'reboot', value: {} }];

describe('claims of rollout jobs by several dispatchers, on PostgreSQL', () => {
  const name = `fleetjobs_test_rollout_claims_${randomBytes(5).toString('hex')}`;
  let dataSource: DataSource;
  let replicas: DataSource[];
  const intake = new DispatchIntakeRepository();
  let dispatchers: DispatchClaimRepository[];

  beforeAll(async () => {
    const url = new URL(SERVER_URL);
    url.pathname = `/${name}`;
    dataSource = await openPostgres({ url: url.toString(), migrations: dispatcherMigrations });
    replicas = await Promise.all([1, 2, 3].map(() => openPostgres({ url: url.toString(), migrations: [] })));
    dispatchers = replicas.map((replica) => new DispatchClaimRepository(replica));
  });

  afterAll(async () => {
    await Promise.all([dataSource, ...(replicas ?? [])].map((source) => source?.destroy()));
    const admin = new Client({ connectionString: SERVER_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  const deviceIds = (prefix: string, count: number) => Array.from({ length: count }, (_, index) => `${prefix}-${String(index).padStart(3, '0')}`);

  /** Every dispatcher claims as fast as it can until `ms` passed; answers every device claimed. */
  async function claimFor(ms: number, limit: number): Promise<string[]> {
    const until = Date.now() + ms;
    const claimed: string[] = [];
    await Promise.all(
      dispatchers.map(async (dispatcher, index) => {
        while (Date.now() < until) {
          claimed.push(...(await dispatcher.claim(`worker-${index}`, limit)).map((unit) => unit.deviceId));
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      }),
    );
    return claimed;
  }

  it('given a job in batches, when three dispatchers claim, then only the current batch is handed out, once targets are complete', async () => {
    await intake.registerJob(dataSource, 'batched', REBOOT, { batches: { size: 10 } });
    const devices = deviceIds('b', 30);
    await intake.addTargets(dataSource, 'batched', devices.slice(0, 20), 0);
    expect(await claimFor(200, 100)).toEqual([]);
    await intake.addTargets(dataSource, 'batched', devices.slice(20), 1);
    await intake.completeTargets(dataSource, 'batched', 30);
    const claimed = await claimFor(300, 100);
    expect(claimed.sort()).toEqual(devices.slice(0, 10));
  });

  it('given a rated job, when three dispatchers claim at once, then together they take no more than its rate allows', async () => {
    await intake.registerJob(dataSource, 'rated', REBOOT, { rate: { perMinute: 600 } });
    await intake.addTargets(dataSource, 'rated', deviceIds('r', 200), 0);
    await intake.completeTargets(dataSource, 'rated', 200);
    const startedAt = Date.now();
    const claimed = await claimFor(2_000, 50);
    const seconds = (Date.now() - startedAt) / 1000;
    expect(new Set(claimed).size).toBe(claimed.length);
    // 10 a second after a first token: at most 1 + 10 per second elapsed.
    expect(claimed.length).toBeLessThanOrEqual(1 + Math.ceil(10 * seconds));
    expect(claimed.length).toBeGreaterThanOrEqual(10);
  });
});
