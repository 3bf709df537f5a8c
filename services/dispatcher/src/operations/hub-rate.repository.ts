import { queryRows, SqlExecutor } from '@fleetjobs/persistence-pg';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';

/** A run of consecutive send slots, on the database's clock. */
export interface SlotReservation {
  /** The first slot, microseconds since the epoch; the others follow it at the asked interval. */
  firstAtUs: number;
  /** The database's clock when it reserved them, microseconds since the epoch. */
  databaseNowUs: number;
}

/** Where slots come from: the shared schedule of every dispatcher of the deployment. */
export interface HubSlotSource {
  reserve(count: number, intervalUs: number, leadMs: number): Promise<SlotReservation>;
}

/**
 * The hub's send schedule in the dispatchers' shared schema: one row, the next free moment. One
 * statement takes `count` slots `intervalUs` apart from there (or from now, plus `leadMs`, when the
 * schedule fell behind), so two dispatchers never hold slots closer together than the interval.
 */
export class HubPacingRepository implements HubSlotSource {
  constructor(private readonly executor: SqlExecutor) {}

  async reserve(count: number, intervalUs: number, leadMs: number): Promise<SlotReservation> {
    const [row] = await queryRows<{ next_at_us: string; clock_us: string }>(
      this.executor,
      // One reading of the clock: two calls of clock_timestamp() differ, and "earliest" must be now + lead exactly.
      `WITH reading AS (SELECT clock_timestamp() AS now),
            clock AS (SELECT now + make_interval(secs => $1::double precision / 1000) AS earliest, now FROM reading)
       INSERT INTO ${S}.hub_pacing AS p (id, next_at)
       SELECT 1, earliest + make_interval(secs => $2::double precision / 1000000) FROM clock
       ON CONFLICT (id) DO UPDATE
         SET next_at = greatest(p.next_at, (SELECT earliest FROM clock)) + make_interval(secs => $2::double precision / 1000000)
       RETURNING round(extract(epoch FROM p.next_at) * 1000000)::bigint::text AS next_at_us,
                 (SELECT round(extract(epoch FROM now) * 1000000)::bigint::text FROM clock) AS clock_us`,
      [leadMs, count * intervalUs],
    );
    return { firstAtUs: Number(row.next_at_us) - count * intervalUs, databaseNowUs: Number(row.clock_us) };
  }
}
