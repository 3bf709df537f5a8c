import { queryRows, SqlExecutor } from '@fleetjobs/persistence-pg';
import { TABLES } from '../device-set.schema';
import { brokenReason } from './broken-reason';
import { Condition } from './condition';

/** A device set as stored, with its health evaluated against the templates now. */
export interface StoredDeviceSet {
  id: string;
  displayName: string;
  conditions: Condition[];
  /** The template its `template eq` condition fixes, or `null`. */
  template: string | null;
  brokenReason: string | null;
}

/** The API representation of a set. */
export interface DeviceSetView {
  id: string;
  displayName: string;
  conditions: Condition[];
  broken: boolean;
  brokenReason: string | null;
}

interface SetRow {
  id: string;
  display_name: string;
  conditions: Condition[];
  template: string | null;
  template_exists: boolean;
}

const SELECT_SETS = `
  SELECT s.id, s.display_name, s.conditions, s.template, (t.id IS NOT NULL) AS template_exists
    FROM ${TABLES.deviceSets} s
    LEFT JOIN ${TABLES.templates} t ON t.id = s.template`;

const toStored = (row: SetRow): StoredDeviceSet => ({
  id: row.id,
  displayName: row.display_name,
  conditions: row.conditions,
  template: row.template,
  brokenReason: brokenReason(row.conditions, row.template_exists),
});

export function toDeviceSetView(set: StoredDeviceSet): DeviceSetView {
  return {
    id: set.id,
    displayName: set.displayName,
    conditions: set.conditions,
    broken: set.brokenReason !== null,
    brokenReason: set.brokenReason,
  };
}

/** SQL of the device_sets table. */
export const deviceSetRepository = {
  async find(executor: SqlExecutor, id: string): Promise<StoredDeviceSet | null> {
    const [row] = await queryRows<SetRow>(executor, `${SELECT_SETS} WHERE s.id = $1`, [id]);
    return row ? toStored(row) : null;
  },

  /** One page ordered by id, `limit + 1` rows so the caller knows whether more follow. */
  async page(executor: SqlExecutor, after: string, limit: number): Promise<StoredDeviceSet[]> {
    const rows = await queryRows<SetRow>(executor, `${SELECT_SETS} WHERE s.id > $1 ORDER BY s.id LIMIT $2`, [after, limit + 1]);
    return rows.map(toStored);
  },

  async save(
    executor: SqlExecutor,
    set: { id: string; displayName: string; conditions: Condition[]; template: string | null },
  ): Promise<{ created: boolean }> {
    const [row] = await queryRows<{ created: boolean }>(
      executor,
      `INSERT INTO ${TABLES.deviceSets} (id, display_name, conditions, template) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (id) DO UPDATE
         SET display_name = EXCLUDED.display_name, conditions = EXCLUDED.conditions,
             template = EXCLUDED.template, updated_at = now()
       RETURNING (xmax = 0) AS created`,
      [set.id, set.displayName, JSON.stringify(set.conditions), set.template],
    );
    return { created: row.created };
  },

  async delete(executor: SqlExecutor, id: string): Promise<boolean> {
    const rows = await queryRows(executor, `DELETE FROM ${TABLES.deviceSets} WHERE id = $1 RETURNING id`, [id]);
    return rows.length === 1;
  },

  /** Sets whose `template eq` condition names the template, one page ordered by id. */
  async fixingTemplate(
    executor: SqlExecutor,
    template: string,
    after: string,
    limit: number,
  ): Promise<{ id: string; conditions: Condition[] }[]> {
    return queryRows<{ id: string; conditions: Condition[] }>(
      executor,
      `SELECT id, conditions FROM ${TABLES.deviceSets} WHERE template = $1 AND id > $2 ORDER BY id LIMIT $3`,
      [template, after, limit],
    );
  },
};
