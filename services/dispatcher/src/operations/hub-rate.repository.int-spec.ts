import { randomBytes } from 'node:crypto';
import { openPostgres } from '@fleetjobs/persistence-pg';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { testPostgresUrl } from '@fleetjobs/testing';
import { dispatcherMigrations } from '../dispatcher.migrations';
import { pacingPlan, PacingPlan } from './hub-rate.pacing';
import { HubPacingRepository } from './hub-rate.repository';

const SERVER_URL = testPostgresUrl();
const plan = pacingPlan(50) as PacingPlan;

describe('the hub send schedule shared by dispatchers, on PostgreSQL', () => {
  const name = `fleetjobs_test_hub_pacing_${randomBytes(5).toString('hex')}`;
  let migrated: DataSource;
  let replicas: DataSource[];
  let pacers: HubPacingRepository[];

  beforeAll(async () => {
    const url = new URL(SERVER_URL);
    url.pathname = `/${name}`;
    migrated = await openPostgres({ url: url.toString(), migrations: dispatcherMigrations });
    replicas = await Promise.all([1, 2].map(() => openPostgres({ url: url.toString(), migrations: [] })));
    pacers = replicas.map((replica) => new HubPacingRepository(replica));
  });

  afterAll(async () => {
    await Promise.all([migrated, ...(replicas ?? [])].map((source) => source?.destroy()));
    const admin = new Client({ connectionString: SERVER_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it('starts an idle schedule just ahead of the database clock', async () => {
    await migrated.query('DELETE FROM dispatcher.hub_pacing');
    const askedAt = Date.now();
    const reservation = await pacers[0].reserve(3, plan.intervalUs, plan.leadMs);
    const answeredAt = Date.now();
    expect(reservation.firstAtUs - reservation.databaseNowUs).toBeGreaterThanOrEqual(plan.leadMs * 1000);
    expect(reservation.firstAtUs - reservation.databaseNowUs).toBeLessThan(plan.leadMs * 1000 + 5_000);
    // The database read its clock (the machine's) between the asking and the answer, however long that took.
    expect(reservation.databaseNowUs / 1000).toBeGreaterThanOrEqual(askedAt - 1);
    expect(reservation.databaseNowUs / 1000).toBeLessThanOrEqual(answeredAt + 1);
  });

  it('never hands two pacers slots closer together than the interval, however they race', async () => {
    // Slots a second apart: the asks outrun the schedule however slow the machine, so it never
    // falls behind the clock (which would rightly restart it, leaving a hole).
    const plan = pacingPlan(1) as PacingPlan;
    await migrated.query('DELETE FROM dispatcher.hub_pacing');
    const slots: { at: number; pacer: number }[] = [];
    await Promise.all(
      pacers.map(async (pacer, index) => {
        for (let round = 0; round < 60; round += 1) {
          // Runs of different sizes, asked at once by both pacers (and several at once by each).
          const counts = [1 + (round % 7), 1 + ((round * 3) % 5)];
          const reservations = await Promise.all(counts.map((count) => pacer.reserve(count, plan.intervalUs, plan.leadMs)));
          reservations.forEach((reservation, run) => {
            for (let slot = 0; slot < counts[run]; slot += 1) slots.push({ at: reservation.firstAtUs + slot * plan.intervalUs, pacer: index });
          });
        }
      }),
    );
    const sorted = slots.sort((a, b) => a.at - b.at);
    const gaps = sorted.slice(1).map((slot, index) => slot.at - sorted[index].at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(plan.intervalUs);
    expect(new Set(sorted.map((slot) => slot.pacer)).size).toBe(2);
    // Back to back while both keep asking: the schedule hands out the whole rate, no holes.
    expect(gaps.filter((gap) => gap !== plan.intervalUs)).toEqual([]);
  });

  it('starts again from the database clock after the schedule fell behind, not from the past', async () => {
    await migrated.query(`UPDATE dispatcher.hub_pacing SET next_at = clock_timestamp() - interval '1 hour'`);
    const reservation = await pacers[1].reserve(2, plan.intervalUs, plan.leadMs);
    expect(reservation.firstAtUs).toBeGreaterThanOrEqual(reservation.databaseNowUs + plan.leadMs * 1000);
  });
});
