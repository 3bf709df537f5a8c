import { queryRows, SqlExecutor, valuesList } from '@fleetjobs/persistence-pg';
import { TABLES } from '../device-set.schema';

/** A device as the API shows it. */
export interface Device {
  id: string;
  displayName: string;
  template: string;
  tags: Record<string, unknown>;
}

interface DeviceRow {
  id: string;
  display_name: string;
  template: string;
  tags: Record<string, unknown>;
}

/** Rows per multi-row upsert; keeps parameters far below PostgreSQL's 65,535. */
export const UPSERT_CHUNK = 1000;

const toDevice = (row: DeviceRow): Device => ({ id: row.id, displayName: row.display_name, template: row.template, tags: row.tags });

/** SQL of the devices table. */
export const deviceRepository = {
  async find(executor: SqlExecutor, id: string): Promise<Device | null> {
    const [row] = await queryRows<DeviceRow>(executor, `SELECT id, display_name, template, tags FROM ${TABLES.devices} WHERE id = $1`, [id]);
    return row ? toDevice(row) : null;
  },

  /** One page ordered by id, optionally of one template; `limit + 1` rows so the caller knows whether more follow. */
  async page(executor: SqlExecutor, after: string, limit: number, template: string | null): Promise<Device[]> {
    const rows = await queryRows<DeviceRow>(
      executor,
      `SELECT id, display_name, template, tags FROM ${TABLES.devices}
        WHERE id > $1 AND ($3::text IS NULL OR template = $3)
        ORDER BY id LIMIT $2`,
      [after, limit + 1, template],
    );
    return rows.map(toDevice);
  },

  /**
   * Creates or replaces devices with multi-row upserts of `UPSERT_CHUNK` rows. Ids must be
   * distinct (one statement cannot touch a row twice). Answers how many were new, and the
   * version each device has now: a new one when its content changed, the same when it did not.
   */
  async upsertMany(
    executor: SqlExecutor,
    devices: readonly Device[],
  ): Promise<{ created: number; updated: number; versions: { id: string; version: string }[] }> {
    let created = 0;
    const versions: { id: string; version: string }[] = [];
    for (let start = 0; start < devices.length; start += UPSERT_CHUNK) {
      const chunk = devices.slice(start, start + UPSERT_CHUNK);
      const { sql, params } = valuesList(
        chunk.map((device) => [device.id, device.displayName, device.template, JSON.stringify(device.tags)]),
        ['text', 'text', 'text', 'jsonb'],
      );
      const rows = await queryRows<{ id: string; version: string; created: boolean }>(
        executor,
        `INSERT INTO ${TABLES.devices} AS d (id, display_name, template, tags) VALUES ${sql}
         ON CONFLICT (id) DO UPDATE
           SET display_name = EXCLUDED.display_name, template = EXCLUDED.template, tags = EXCLUDED.tags, updated_at = now(),
               version = CASE
                 WHEN (d.display_name, d.template, d.tags) IS DISTINCT FROM (EXCLUDED.display_name, EXCLUDED.template, EXCLUDED.tags)
                 THEN EXCLUDED.version ELSE d.version END
         RETURNING d.id, d.version, (xmax = 0) AS created`,
        params,
      );
      created += rows.filter((row) => row.created).length;
      for (const row of rows) versions.push({ id: row.id, version: String(row.version) });
    }
    return { created, updated: devices.length - created, versions };
  },

  async delete(executor: SqlExecutor, id: string): Promise<boolean> {
    const rows = await queryRows(executor, `DELETE FROM ${TABLES.devices} WHERE id = $1 RETURNING id`, [id]);
    return rows.length === 1;
  },
};
