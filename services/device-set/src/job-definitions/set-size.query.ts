import { queryRows, SqlExecutor } from '@fleetjobs/persistence-pg';
import { TABLES } from '../device-set.schema';
import { Condition } from '../device-sets/condition';
import { compileConditions } from '../device-sets/condition-sql.compiler';

/**
 * How many current members the set has, counted only up to `limit`: enough to tell whether a
 * batch of `limit` devices fits, without counting a whole fleet on every job creation.
 */
export async function membersUpTo(executor: SqlExecutor, conditions: readonly Condition[], limit: number): Promise<number> {
  const predicate = compileConditions(conditions, { alias: 'd', firstParameter: 2 });
  const [row] = await queryRows<{ n: number }>(
    executor,
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${TABLES.devices} d WHERE ${predicate.sql} LIMIT $1) members`,
    [limit, ...predicate.params],
  );
  return row.n;
}
