import { DEVICE_TIME_ZONE } from '@fleetjobs/contracts';
import { SqlExecutor } from '@fleetjobs/persistence-pg';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';

/** SQL: whether the job row `j` has a window in each device's own zone. */
export const BY_DEVICE_ZONE = `coalesce(j.windows @> '[{"timeZone": "${DEVICE_TIME_ZONE}"}]'::jsonb, false)`;

/**
 * Adds a chunk's zones to the distinct zones of a job with `device` windows, which its claims judge
 * the windows in (a few hundred at most, however many devices). Written only when the chunk brings
 * a zone the job did not have, so most chunks leave the job's row alone.
 */
export async function addJobTimeZones(tx: SqlExecutor, jobId: string, zones: readonly string[]): Promise<void> {
  const distinct = [...new Set(zones)];
  if (distinct.length === 0) return;
  await tx.query(
    `UPDATE ${S}.jobs j SET time_zones = ARRAY(SELECT DISTINCT zone FROM unnest(coalesce(j.time_zones, '{}') || $2::text[]) AS zone ORDER BY zone)
     WHERE j.job_id = $1 AND ${BY_DEVICE_ZONE} AND NOT coalesce(j.time_zones, '{}') @> $2::text[]`,
    [jobId, distinct],
  );
}

/** A claim's zones as one SQL parameter: null for devices in any zone, else the open zones (IANA names hold no comma). */
export function zonesParameter(zones: readonly string[] | undefined): string | null {
  return zones === undefined ? null : zones.join(',');
}
