import { queryRows, SqlExecutor } from '../sql';

/**
 * Remembers which events a consumer has applied. Called inside the consumer's transaction:
 * it records the given ids and returns those not seen before, so a redelivered event is
 * skipped and the work and the record commit together.
 */
export class InboxGuard {
  constructor(
    private readonly schema: string,
    private readonly consumer: string,
  ) {}

  async claim(tx: SqlExecutor, eventIds: string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const rows = await queryRows<{ event_id: string }>(
      tx,
      `INSERT INTO ${this.schema}.inbox (consumer, event_id)
       SELECT $1, unnest($2::text[])
       ON CONFLICT DO NOTHING
       RETURNING event_id`,
      [this.consumer, [...new Set(eventIds)]],
    );
    return new Set(rows.map((row) => row.event_id));
  }

  /** Forgets entries older than the retention; redeliveries come far sooner than that. */
  async trim(tx: SqlExecutor, olderThanDays: number): Promise<void> {
    await tx.query(`DELETE FROM ${this.schema}.inbox WHERE processed_at < now() - make_interval(days => $1)`, [
      olderThanDays,
    ]);
  }
}
