import { DataSource } from 'typeorm';
import { queryRows } from '@fleetjobs/persistence-pg';
import { DeviceQuery, toSqlPredicate } from '../device-query.parser';
import { JsonObject } from '../twin-document';
import { DEVICES, DeviceRow, newDeviceEtag, newGenerationId, PENDING_ACKS } from './device-row';
import { logOperations } from './operation-log.store';
import { BulkItem, BulkItemError, planBulkOperation } from './bulk-registry.plan';

export type PutDeviceResult =
  | { outcome: 'written'; device: DeviceRow }
  | { outcome: 'already-exists' }
  | { outcome: 'not-found' }
  | { outcome: 'etag-mismatch' };

export type DeleteDeviceResult = { outcome: 'deleted' } | { outcome: 'not-found' } | { outcome: 'etag-mismatch' };

export interface SeedDevice {
  deviceId: string;
  tags: JsonObject;
}

/** The identity registry: single-device writes, bulk operations, queries and seeding. */
export class RegistryStore {
  /** `devicesChanged` hears of every device row written here, once the write committed. */
  constructor(
    private readonly dataSource: DataSource,
    private readonly devicesChanged: (ids: string[]) => void = () => undefined,
  ) {}

  async get(deviceId: string): Promise<DeviceRow | null> {
    const [row] = await queryRows<DeviceRow>(this.dataSource, `SELECT * FROM ${DEVICES} WHERE id = $1`, [deviceId]);
    return row ?? null;
  }

  async list(top: number): Promise<DeviceRow[]> {
    return queryRows<DeviceRow>(this.dataSource, `SELECT * FROM ${DEVICES} ORDER BY id LIMIT $1`, [top]);
  }

  async count(): Promise<number> {
    const [row] = await queryRows<{ count: string }>(this.dataSource, `SELECT count(*) AS count FROM ${DEVICES}`);
    return Number(row.count);
  }

  /** `PUT /devices/{id}`: without If-Match it creates, with If-Match it updates the identity. */
  async put(
    deviceId: string,
    ifMatch: string | undefined,
    body: JsonObject,
    requestId: string | null,
    arrivedAt: Date | null = null,
  ): Promise<PutDeviceResult> {
    const result = await this.dataSource.transaction(async (manager): Promise<PutDeviceResult> => {
      const [existing] = await queryRows<DeviceRow>(manager, `SELECT * FROM ${DEVICES} WHERE id = $1 FOR UPDATE`, [deviceId]);
      if (ifMatch === undefined && existing) return { outcome: 'already-exists' };
      if (ifMatch !== undefined && !existing) return { outcome: 'not-found' };
      if (existing && ifMatch !== '*' && ifMatch !== existing.etag) return { outcome: 'etag-mismatch' };
      const [device] = await queryRows<DeviceRow>(
        manager,
        existing
          ? `UPDATE ${DEVICES} SET etag = $2, updated_at = now() WHERE id = $1 RETURNING *`
          : `INSERT INTO ${DEVICES} (id, etag, generation_id) VALUES ($1, $2, $3) RETURNING *`,
        existing ? [deviceId, newDeviceEtag()] : [deviceId, newDeviceEtag(), newGenerationId()],
      );
      await logOperations(manager, [
        { deviceId, kind: 'registry', name: existing ? 'update' : 'create', payload: body, requestId },
      ], arrivedAt);
      return { outcome: 'written', device };
    });
    this.devicesChanged([deviceId]);
    return result;
  }

  async delete(deviceId: string, ifMatch: string | undefined, requestId: string | null, arrivedAt: Date | null = null): Promise<DeleteDeviceResult> {
    const result = await this.dataSource.transaction(async (manager): Promise<DeleteDeviceResult> => {
      const [existing] = await queryRows<DeviceRow>(manager, `SELECT * FROM ${DEVICES} WHERE id = $1 FOR UPDATE`, [deviceId]);
      if (!existing) return { outcome: 'not-found' };
      if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== existing.etag) return { outcome: 'etag-mismatch' };
      await manager.query(`DELETE FROM ${PENDING_ACKS} WHERE device_id = $1`, [deviceId]);
      await manager.query(`DELETE FROM ${DEVICES} WHERE id = $1`, [deviceId]);
      await logOperations(manager, [{ deviceId, kind: 'registry', name: 'delete', payload: null, requestId }], arrivedAt);
      return { outcome: 'deleted' };
    });
    this.devicesChanged([deviceId]);
    return result;
  }

  /** `POST /devices`: up to 100 items in one transaction; failed items are reported, the rest applied. */
  async bulk(items: readonly BulkItem[], requestId: string | null, arrivedAt: Date | null = null): Promise<BulkItemError[]> {
    const ids = [...new Set(items.map((item) => item.id).filter((id): id is string => typeof id === 'string'))];
    const errors = await this.dataSource.transaction(async (manager) => {
      const existing = await queryRows<DeviceRow>(
        manager,
        `SELECT * FROM ${DEVICES} WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
        [ids],
      );
      const plan = planBulkOperation(items, new Map(existing.map((row) => [row.id, row])));
      if (plan.writes.length > 0) {
        await manager.query(
          `INSERT INTO ${DEVICES} (id, etag, generation_id, tags, desired, desired_version, twin_version)
           SELECT id, etag, generation_id, tags, desired, desired_version, twin_version
           FROM jsonb_to_recordset($1::jsonb) AS x(id text, etag text, generation_id text, tags jsonb, desired jsonb,
             desired_version integer, twin_version bigint)
           ON CONFLICT (id) DO UPDATE SET etag = EXCLUDED.etag, tags = EXCLUDED.tags, desired = EXCLUDED.desired,
             desired_version = EXCLUDED.desired_version, twin_version = EXCLUDED.twin_version, updated_at = now()`,
          [JSON.stringify(plan.writes)],
        );
      }
      if (plan.deletes.length > 0) {
        await manager.query(`DELETE FROM ${PENDING_ACKS} WHERE device_id = ANY($1::text[])`, [plan.deletes]);
        await manager.query(`DELETE FROM ${DEVICES} WHERE id = ANY($1::text[])`, [plan.deletes]);
      }
      await logOperations(
        manager,
        plan.applied.map((item) => ({ deviceId: item.id, kind: 'registry', name: item.mode, payload: item.body, requestId })),
        arrivedAt,
      );
      return plan.errors;
    });
    this.devicesChanged(ids);
    return errors;
  }

  /** Twins matching the query, ordered by id; `continuation` is the last id of the previous page. */
  async query(query: DeviceQuery, pageSize: number, continuation: string | null): Promise<{ rows: DeviceRow[]; more: boolean }> {
    const predicate = toSqlPredicate(query, 1);
    const params = [...predicate.params];
    let sql = `SELECT * FROM ${DEVICES} WHERE ${predicate.sql}`;
    if (continuation !== null) {
      params.push(continuation);
      sql += ` AND id > $${params.length}`;
    }
    params.push(pageSize + 1);
    sql += ` ORDER BY id LIMIT $${params.length}`;
    const rows = await queryRows<DeviceRow>(this.dataSource, sql, params);
    return { rows: rows.slice(0, pageSize), more: rows.length > pageSize };
  }

  /** Creates or re-tags many devices in one statement (admin seeding; not logged as hub operations). */
  async seed(devices: readonly SeedDevice[]): Promise<void> {
    if (devices.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO ${DEVICES} (id, etag, generation_id, tags)
       SELECT id, etag, generation_id, tags FROM jsonb_to_recordset($1::jsonb) AS x(id text, etag text, generation_id text, tags jsonb)
       ON CONFLICT (id) DO UPDATE SET tags = EXCLUDED.tags, twin_version = ${DEVICES}.twin_version + 1, updated_at = now()`,
      [
        JSON.stringify(
          devices.map((device) => ({ id: device.deviceId, etag: newDeviceEtag(), generation_id: newGenerationId(), tags: device.tags })),
        ),
      ],
    );
    this.devicesChanged(devices.map((device) => device.deviceId));
  }
}
