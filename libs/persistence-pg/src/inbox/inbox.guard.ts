import { queryPrepared, queryRows, SqlExecutor } from '../sql';

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
    const rows = await queryPrepared<{ event_id: string }>(
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
  async trim(tx: SqlExecutor, olderThanDays: number): Promise<number> {
    return trimInbox(tx, this.schema, olderThanDays);
  }
}

/** Rows deleted per statement, so trimming a large backlog never holds one long lock. */
const TRIM_CHUNK = 10_000;

/**
 * Deletes the inbox entries of every consumer of `schema` older than `olderThanDays`, in chunks.
 * Returns how many were deleted.
 */
export async function trimInbox(executor: SqlExecutor, schema: string, olderThanDays: number): Promise<number> {
  let deleted = 0;
  for (;;) {
    const rows = await queryRows<{ count: number }>(
      executor,
      `WITH trimmed AS (
         DELETE FROM ${schema}.inbox WHERE ctid IN (
           SELECT ctid FROM ${schema}.inbox
            WHERE processed_at < now() - make_interval(secs => $1::double precision * 86400)
            LIMIT $2)
         RETURNING 1)
       SELECT count(*)::int AS count FROM trimmed`,
      [olderThanDays, TRIM_CHUNK],
    );
    deleted += rows[0].count;
    if (rows[0].count < TRIM_CHUNK) return deleted;
  }
}
