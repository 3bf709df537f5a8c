import { queryRows, SqlExecutor } from '../sql';

/** A table grown past its last analysis by this share of its pages, and by at least `MIN_GROWTH_PAGES`, is analysed again. */
const GROWTH_SHARE = 0.1;
const MIN_GROWTH_PAGES = 8;
/** autovacuum's defaults for ANALYZE: 50 rows plus a tenth of the table changed since the last one. */
const CHANGED_ROWS_BASE = 50;
const CHANGED_ROWS_SHARE = 0.1;

/**
 * Refreshes a table's planner statistics when it has grown or changed by more than a tenth since
 * they were taken (autovacuum's own default for ANALYZE). Where autovacuum does not run (PGlite, a
 * server with it turned off) or has not come round yet after a bulk import, the planner would take
 * a table of a million rows for the few pages it last saw, and page through it with plans that
 * read and sort all of the matching rows for every page.
 *
 * Two signs, either enough: the table's size on disk against `pg_class.relpages` (PGlite does not
 * feed the statistics collector), and the rows changed since the last analysis as the collector
 * counts them (an analysis made while a large insert was still uncommitted saw the new pages but
 * none of their rows; the collector counts them once committed). Run it outside a transaction:
 * ANALYZE holds a lock that a second ANALYZE waits for, and `SKIP_LOCKED` lets a concurrent caller
 * go on with the statistics there are.
 *
 * @param table schema-qualified table name, written into the SQL as it is (never user input)
 * @returns whether the table was analysed
 */
export async function analyzeWhenGrown(executor: SqlExecutor, table: string): Promise<boolean> {
  const [size] = await queryRows<{ analysed_pages: number; pages: string; rows: number; changed: string | null }>(
    executor,
    `SELECT c.relpages AS analysed_pages, pg_relation_size(c.oid) / current_setting('block_size')::int AS pages,
            c.reltuples AS rows, s.n_mod_since_analyze AS changed
       FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
      WHERE c.oid = $1::regclass`,
    [table],
  );
  if (!size) return false;
  const changedRows = Number(size.changed ?? 0);
  if (!hasGrown(size.analysed_pages, Number(size.pages)) && changedRows <= CHANGED_ROWS_BASE + CHANGED_ROWS_SHARE * Math.max(0, size.rows)) {
    return false;
  }
  await executor.query(`ANALYZE (SKIP_LOCKED) ${table}`);
  return true;
}

/** Whether a table of `nowPages` has outgrown the `analysedPages` its statistics describe. */
export function hasGrown(analysedPages: number, nowPages: number): boolean {
  return nowPages - analysedPages > Math.max(MIN_GROWTH_PAGES, analysedPages * GROWTH_SHARE);
}
