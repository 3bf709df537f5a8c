import { DataSource } from 'typeorm';
import { queryRows, SqlExecutor } from '@fleetjobs/persistence-pg';
import { DEVICES, OPERATIONS, PENDING_ACKS } from './device-row';

/** One operation the hub received, as the operation log keeps it. */
export interface LoggedOperation {
  seq: number;
  deviceId: string;
  kind: OperationKind;
  name: string | null;
  payload: unknown;
  requestId: string | null;
  receivedAt: string;
}

/** `twin-patch`: a twin update · `method`: a direct method call · `registry`: an identity write. */
export type OperationKind = 'twin-patch' | 'method' | 'registry';

export interface OperationEntry {
  deviceId: string;
  kind: OperationKind;
  name: string | null;
  payload: unknown;
  requestId: string | null;
}

export interface OperationFilter {
  deviceId?: string;
  kind?: string;
  name?: string;
  afterSeq?: number;
  limit: number;
}

export interface SimulatorStats {
  devices: number;
  pendingAcks: number;
  operations: Record<string, number>;
}

/** Writes many log entries in one statement (`jsonb_to_recordset`), inside the caller's transaction. */
export async function logOperations(executor: SqlExecutor, entries: readonly OperationEntry[], receivedAt: Date | null): Promise<void> {
  if (entries.length === 0) return;
  await executor.query(
    `INSERT INTO ${OPERATIONS} (device_id, kind, name, payload, request_id, received_at)
     SELECT device_id, kind, name, payload, request_id, coalesce($2::timestamptz, now())
     FROM jsonb_to_recordset($1::jsonb) AS x(device_id text, kind text, name text, payload jsonb, request_id text)`,
    [
      JSON.stringify(
        entries.map((entry) => ({
          device_id: entry.deviceId,
          kind: entry.kind,
          name: entry.name,
          payload: entry.payload ?? null,
          request_id: entry.requestId,
        })),
      ),
      receivedAt,
    ],
  );
}

/** Reads and clears the log, and counts what the simulator holds. */
export class OperationLogStore {
  constructor(private readonly dataSource: DataSource) {}

  async list(filter: OperationFilter): Promise<LoggedOperation[]> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown): void => {
      params.push(value);
      conditions.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.deviceId !== undefined) add('device_id = ?', filter.deviceId);
    if (filter.kind !== undefined) add('kind = ?', filter.kind);
    if (filter.name !== undefined) add('name = ?', filter.name);
    if (filter.afterSeq !== undefined) add('seq > ?', filter.afterSeq);
    params.push(filter.limit);
    const rows = await queryRows<{
      seq: string;
      device_id: string;
      kind: OperationKind;
      name: string | null;
      payload: unknown;
      request_id: string | null;
      received_at: Date;
    }>(
      this.dataSource,
      `SELECT seq, device_id, kind, name, payload, request_id, received_at FROM ${OPERATIONS}
       ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY seq LIMIT $${params.length}`,
      params,
    );
    return rows.map((row) => ({
      seq: Number(row.seq),
      deviceId: row.device_id,
      kind: row.kind,
      name: row.name,
      payload: row.payload,
      requestId: row.request_id,
      receivedAt: new Date(row.received_at).toISOString(),
    }));
  }

  async clear(): Promise<void> {
    await this.dataSource.query(`DELETE FROM ${OPERATIONS}`);
  }

  async stats(): Promise<SimulatorStats> {
    const [counts] = await queryRows<{ devices: string; pending_acks: string }>(
      this.dataSource,
      `SELECT (SELECT count(*) FROM ${DEVICES}) AS devices, (SELECT count(*) FROM ${PENDING_ACKS}) AS pending_acks`,
    );
    const byKind = await queryRows<{ kind: string; count: string }>(
      this.dataSource,
      `SELECT kind, count(*) AS count FROM ${OPERATIONS} GROUP BY kind ORDER BY kind`,
    );
    return {
      devices: Number(counts.devices),
      pendingAcks: Number(counts.pending_acks),
      operations: Object.fromEntries(byKind.map((row) => [row.kind, Number(row.count)])),
    };
  }
}
