import { queryRows, SqlExecutor } from '@fleetjobs/persistence-pg';
import { TABLES } from '../device-set.schema';
import type { Device } from '../devices/device.repository';
import { Condition } from './condition';
import { compileConditions } from './condition-sql.compiler';

interface MemberRow {
  id: string;
  display_name: string;
  template: string;
  tags: Record<string, unknown>;
}

export interface MembersPageOptions {
  /** Members with ids after this one ('' from the start). */
  after: string;
  limit: number;
  /** Restricts the members to these ids (a job's explicit devices); `null` for all. */
  only?: string[] | null;
}

/**
 * Current members of a set, evaluated now by SQL compiled from its conditions, ordered by id.
 * Inside a REPEATABLE READ transaction successive pages read one snapshot.
 */
export async function membersPage(executor: SqlExecutor, conditions: readonly Condition[], options: MembersPageOptions): Promise<Device[]> {
  const only = options.only ?? null;
  const predicate = compileConditions(conditions, { alias: 'd', firstParameter: only ? 4 : 3 });
  const rows = await queryRows<MemberRow>(
    executor,
    `SELECT d.id, d.display_name, d.template, d.tags
       FROM ${TABLES.devices} d
      WHERE d.id > $1 ${only ? 'AND d.id = ANY($3::text[])' : ''} AND ${predicate.sql}
      ORDER BY d.id
      LIMIT $2`,
    [options.after, options.limit, ...(only ? [only] : []), ...predicate.params],
  );
  return rows.map((row) => ({ id: row.id, displayName: row.display_name, template: row.template, tags: row.tags }));
}

/** Which of `ids` are current members of the set, in one query. */
export async function membersAmong(executor: SqlExecutor, conditions: readonly Condition[], ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const predicate = compileConditions(conditions, { alias: 'd', firstParameter: 2 });
  const rows = await queryRows<{ id: string }>(
    executor,
    `SELECT d.id FROM ${TABLES.devices} d WHERE d.id = ANY($1::text[]) AND ${predicate.sql}`,
    [ids, ...predicate.params],
  );
  return new Set(rows.map((row) => row.id));
}
