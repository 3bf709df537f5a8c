import type { Capability } from '@fleetjobs/contracts';
import { queryRows, SqlExecutor } from '@fleetjobs/persistence-pg';
import { TABLES } from '../device-set.schema';

/** A device template as the API shows it. */
export interface DeviceTemplate {
  id: string;
  displayName: string;
  capabilities: Capability[];
}

interface TemplateRow {
  id: string;
  display_name: string;
  capabilities: Capability[];
}

const toTemplate = (row: TemplateRow): DeviceTemplate => ({
  id: row.id,
  displayName: row.display_name,
  capabilities: row.capabilities,
});

/** SQL of the templates table. */
export const templateRepository = {
  async find(executor: SqlExecutor, id: string): Promise<DeviceTemplate | null> {
    const [row] = await queryRows<TemplateRow>(
      executor,
      `SELECT id, display_name, capabilities FROM ${TABLES.templates} WHERE id = $1`,
      [id],
    );
    return row ? toTemplate(row) : null;
  },

  /** Creates or replaces; answers whether the template is new. */
  async save(executor: SqlExecutor, template: DeviceTemplate): Promise<{ created: boolean }> {
    const [row] = await queryRows<{ created: boolean }>(
      executor,
      `INSERT INTO ${TABLES.templates} (id, display_name, capabilities) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (id) DO UPDATE
         SET display_name = EXCLUDED.display_name, capabilities = EXCLUDED.capabilities, updated_at = now()
       RETURNING (xmax = 0) AS created`,
      [template.id, template.displayName, JSON.stringify(template.capabilities)],
    );
    return { created: row.created };
  },

  async delete(executor: SqlExecutor, id: string): Promise<boolean> {
    const rows = await queryRows(executor, `DELETE FROM ${TABLES.templates} WHERE id = $1 RETURNING id`, [id]);
    return rows.length === 1;
  },

  /** One page ordered by id, `limit + 1` rows so the caller knows whether more follow. */
  async page(executor: SqlExecutor, after: string, limit: number): Promise<DeviceTemplate[]> {
    const rows = await queryRows<TemplateRow>(
      executor,
      `SELECT id, display_name, capabilities FROM ${TABLES.templates} WHERE id > $1 ORDER BY id LIMIT $2`,
      [after, limit + 1],
    );
    return rows.map(toTemplate);
  },

  /**
   * Which of the given ids name existing templates. Inside a transaction the rows are locked
   * against deletion until it commits, so a device or set saved with a template never misses
   * the deletion of that template happening at the same time.
   */
  async existing(executor: SqlExecutor, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await queryRows<{ id: string }>(
      executor,
      `SELECT id FROM ${TABLES.templates} WHERE id = ANY($1::text[]) FOR SHARE`,
      [ids],
    );
    return new Set(rows.map((row) => row.id));
  },
};
