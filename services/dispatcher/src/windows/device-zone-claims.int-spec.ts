import { randomBytes } from 'node:crypto';
import { MaintenanceWindow } from '@fleetjobs/contracts';
import { openPostgres, queryRows } from '@fleetjobs/persistence-pg';
import { testPostgresUrl } from '@fleetjobs/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dispatcherMigrations } from '../dispatcher.migrations';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';
import { DispatchClaimRepository } from '../work/dispatch-claim.repository';
import { DispatchIntakeRepository } from '../work/dispatch-intake.repository';

const SERVER_URL = testPostgresUrl();
const REBOOT = [{ type: 'command' as const, name: 'reboot', value: {} }];

/** `HH:MM` in Tokyo (UTC+9 all year) `hours` from now. */
function tokyoTime(hours: number): string {
  const instant = new Date(Date.now() + hours * 3_600_000);
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
}

/**
 * Open now in Tokyo, four hours wide around its local time (overnight when it crosses midnight);
 * closed in UTC (9 h behind) and in Phoenix (UTC−7 all year, 16 h behind), whatever the hour.
 */
const openInTokyo = (): MaintenanceWindow => ({ start: tokyoTime(-2), end: tokyoTime(2), timeZone: 'device' });

describe("claims of a job with windows in each device's own zone, on PostgreSQL", () => {
  const name = `fleetjobs_test_zone_claims_${randomBytes(5).toString('hex')}`;
  let dataSource: DataSource;
  const intake = new DispatchIntakeRepository();
  let claims: DispatchClaimRepository;

  beforeAll(async () => {
    const url = new URL(SERVER_URL);
    url.pathname = `/${name}`;
    dataSource = await openPostgres({ url: url.toString(), migrations: dispatcherMigrations });
    claims = new DispatchClaimRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    const admin = new Client({ connectionString: SERVER_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  /** Claims until a claim takes nothing; answers the devices taken. */
  async function claimAll(): Promise<string[]> {
    const claimed: string[] = [];
    for (;;) {
      const units = await claims.claim('worker-1', 50);
      if (units.length === 0) return claimed.sort();
      claimed.push(...units.map((unit) => unit.deviceId));
    }
  }

  const zonesOf = async (jobId: string) =>
    queryRows<{ device_id: string; time_zone: string | null }>(dataSource, `SELECT device_id, time_zone FROM ${S}.operations WHERE job_id = $1 ORDER BY device_id`, [jobId]);

  it("keeps each device's zone (its known timezone tag, else UTC) and the job's distinct zones", async () => {
    await intake.registerJob(dataSource, 'kept', REBOOT, undefined, [openInTokyo()]);
    await intake.addTargets(dataSource, 'kept', ['k-1', 'k-2', 'k-3', 'k-4'], 0, ['asia/tokyo', undefined, 'Mars/Olympus', 'America/Phoenix']);
    expect(await zonesOf('kept')).toEqual([
      { device_id: 'k-1', time_zone: 'Asia/Tokyo' },
      { device_id: 'k-2', time_zone: 'UTC' },
      { device_id: 'k-3', time_zone: 'UTC' },
      { device_id: 'k-4', time_zone: 'America/Phoenix' },
    ]);
    const [job] = await queryRows<{ time_zones: string[] }>(dataSource, `SELECT time_zones FROM ${S}.jobs WHERE job_id = 'kept'`);
    expect(job.time_zones).toEqual(['America/Phoenix', 'Asia/Tokyo', 'UTC']);
    await intake.halt(dataSource, 'kept');

    // A job without device windows keeps no zones: its rows stay out of the zone index.
    await intake.registerJob(dataSource, 'plain', REBOOT, undefined, [{ start: '00:00', end: '12:00', timeZone: 'UTC' }]);
    await intake.addTargets(dataSource, 'plain', ['p-1'], 0, ['Asia/Tokyo']);
    expect(await zonesOf('plain')).toEqual([{ device_id: 'p-1', time_zone: null }]);
    await intake.halt(dataSource, 'plain');
  });

  it('claims only devices whose own zone has the window open, however many wait in closed zones', async () => {
    await intake.registerJob(dataSource, 'zoned', REBOOT, undefined, [openInTokyo()]);
    // 3,000 devices in closed zones come first in id order; the open zone's devices last.
    const closed = Array.from({ length: 3_000 }, (_, index) => `a-${String(index).padStart(4, '0')}`);
    const closedTags = closed.map((_, index) => [undefined, 'UTC', 'America/Phoenix', 'Mars/Olympus'][index % 4]);
    const open = ['z-1', 'z-2', 'z-3'];
    await intake.addTargets(dataSource, 'zoned', [...closed.slice(0, 500)], 0, closedTags.slice(0, 500));
    await intake.addTargets(dataSource, 'zoned', [...closed.slice(500), ...open], 1, [...closedTags.slice(500), 'Asia/Tokyo', 'asia/tokyo', 'Asia/Tokyo']);
    await intake.completeTargets(dataSource, 'zoned', 3_003);

    expect(await claimAll()).toEqual(open);
    const pending = await queryRows<{ n: number }>(dataSource, `SELECT count(*)::int AS n FROM ${S}.operations WHERE job_id = 'zoned' AND status = 'pending'`);
    expect(pending[0].n).toBe(3_000);
    await intake.halt(dataSource, 'zoned');
  });

  it('claims every device while a window in a fixed zone is open beside the device windows', async () => {
    await intake.registerJob(dataSource, 'mixed', REBOOT, undefined, [
      { start: '00:00', end: '00:00:01', timeZone: 'device' },
      { start: tokyoTime(-2), end: tokyoTime(2), timeZone: 'Asia/Tokyo' },
    ]);
    await intake.addTargets(dataSource, 'mixed', ['m-1', 'm-2'], 0, ['America/Phoenix', undefined]);
    await intake.completeTargets(dataSource, 'mixed', 2);
    expect(await claimAll()).toEqual(['m-1', 'm-2']);
  });

  it('keeps a rated job to its rate within the open zones', async () => {
    await intake.registerJob(dataSource, 'rated-zoned', REBOOT, { rate: { perMinute: 60 } }, [openInTokyo()]);
    await intake.addTargets(dataSource, 'rated-zoned', ['r-1', 'r-2', 'r-3', 'r-4'], 0, ['Asia/Tokyo', 'Asia/Tokyo', 'Asia/Tokyo', 'UTC']);
    await intake.completeTargets(dataSource, 'rated-zoned', 4);
    // One token at first, then one a second: a burst of claims takes about one device, of Tokyo.
    const startedAt = Date.now();
    const claimed = await claimAll();
    expect(claimed.length).toBeGreaterThanOrEqual(1);
    expect(claimed.length).toBeLessThanOrEqual(1 + Math.floor((Date.now() - startedAt) / 1000));
    expect(claimed.every((deviceId) => ['r-1', 'r-2', 'r-3'].includes(deviceId))).toBe(true);
    await intake.halt(dataSource, 'rated-zoned');
  });
});
