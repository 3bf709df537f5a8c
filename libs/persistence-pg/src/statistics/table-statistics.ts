import { queryRows, SqlExecutor } from '../sql';

/** A table grown past its last analysis by this share of its pages, and by at least `MIN_GROWTH_PAGES`, is analysed again. */
const GROWTH_SHARE = 0.1;
const MIN_GROWTH_PAGES = 8;

/**
 * Refreshes a table's planner statistics when it has grown by more than a tenth since they were
 * taken (autovacuum's own default for ANALYZE). Where autovacuum does not run (PGlite, a server
 * with it turned off) or has not come round yet after a bulk import, the planner would take a
 * table of a million rows for the few pages it last saw, and page through it with plans that read
 * and sort all of the matching rows for every page.
 *
 * Growth is read from the table's size on disk against `pg_class.relpages`, not from the
 * statistics collector, which PGlite does not feed. Run it outside a transaction: ANALYZE holds a
 * lock that a second ANALYZE waits for, and `SKIP_LOCKED` lets a concurrent caller go on with the
 * statistics there are.
 *
 * @param table schema-qualified table name, written into the SQL as it is (never user input)
 * @returns whether the table was analysed
 */
export async function analyzeWhenGrown(executor: SqlExecutor, table: string): Promise<boolean> {
  const [size] = await queryRows<{ analysed: number; now: string }>(
    executor,
    `SELECT relpages AS analysed, pg_relation_size(oid) / current_setting('block_size')::int AS now FROM pg_class WHERE oid = $1::regclass`,
    [table],
  );
  if (!size || !hasGrown(size.analysed, Number(size.now))) return false;
  await executor.query(`ANALYZE (SKIP_LOCKED) ${table}`);
  return true;
}

/** Whether a table of `nowPages` has outgrown the `analysedPages` its statistics describe. */
export function hasGrown(analysedPages: number, nowPages: number): boolean {
  return nowPages - analysedPages > Math.max(MIN_GROWTH_PAGES, analysedPages * GROWTH_SHARE);
}
