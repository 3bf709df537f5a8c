import { queryRows, SqlExecutor } from '@fleetjobs/persistence-pg';
import { TABLES } from '../device-set.schema';
import type { Device } from '../devices/device.repository';
import { Condition } from './condition';
import { compileConditions } from './condition-sql.compiler';

export interface MembersPageOptions {
  /** Members with ids after this one ('' from the start). */
  after: string;
  limit: number;
  /** Restricts the members to these ids (a job's explicit devices); `null` for all. */
  only?: string[] | null;
}

/**
 * One page of a set's current members, evaluated now by SQL compiled from its conditions,
 * ordered by id. Inside a REPEATABLE READ transaction successive pages read one snapshot.
 */
function pageQuery<T>(executor: SqlExecutor, columns: string, conditions: readonly Condition[], options: MembersPageOptions): Promise<T[]> {
  const only = options.only ?? null;
  const predicate = compileConditions(conditions, { alias: 'd', firstParameter: only ? 4 : 3 });
  return queryRows<T>(
    executor,
    `SELECT ${columns}
       FROM ${TABLES.devices} d
      WHERE d.id > $1 ${only ? 'AND d.id = ANY($3::text[])' : ''} AND ${predicate.sql}
      ORDER BY d.id
      LIMIT $2`,
    [options.after, options.limit, ...(only ? [only] : []), ...predicate.params],
  );
}

/** Current members as the API shows devices. */
export async function membersPage(executor: SqlExecutor, conditions: readonly Condition[], options: MembersPageOptions): Promise<Device[]> {
  const rows = await pageQuery<{ id: string; display_name: string; template: string; tags: Record<string, unknown> }>(
    executor,
    'd.id, d.display_name, d.template, d.tags',
    conditions,
    options,
  );
  return rows.map((row) => ({ id: row.id, displayName: row.display_name, template: row.template, tags: row.tags }));
}

/** Longest `timezone` tag a target carries: IANA names are far shorter, and events stay bounded. */
const MAX_TIME_ZONE_LENGTH = 64;

/** Current members as a job's targets: id, display name, and the `timezone` tag (a string one, of bounded length) when set. */
export async function targetsPage(
  executor: SqlExecutor,
  conditions: readonly Condition[],
  options: MembersPageOptions,
): Promise<{ deviceId: string; displayName: string; timeZone?: string }[]> {
  const rows = await pageQuery<{ deviceId: string; displayName: string; timeZone: string | null }>(
    executor,
    `d.id AS "deviceId", d.display_name AS "displayName",
     CASE WHEN jsonb_typeof(d.tags->'timezone') = 'string' AND length(d.tags->>'timezone') <= ${MAX_TIME_ZONE_LENGTH}
          THEN d.tags->>'timezone' END AS "timeZone"`,
    conditions,
    options,
  );
  return rows.map(({ deviceId, displayName, timeZone }) => ({ deviceId, displayName, ...(timeZone !== null ? { timeZone } : {}) }));
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

/** Current members' ids only: a page of a job's targets for a preview, smallest on the wire. */
export async function memberIdsPage(executor: SqlExecutor, conditions: readonly Condition[], options: MembersPageOptions): Promise<string[]> {
  const rows = await pageQuery<{ id: string }>(executor, 'd.id', conditions, options);
  return rows.map((row) => row.id);
}
