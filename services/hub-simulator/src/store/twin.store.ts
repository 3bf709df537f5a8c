import { DataSource } from 'typeorm';
import { queryRows, SqlExecutor } from '@fleetjobs/persistence-pg';
import {
  behaviourFromTags,
  reactToSetting,
  settingAckOf,
  settingsToAcknowledge,
} from '../simulated-device.behaviour';
import {
  acknowledgeSettings,
  applyTwinPatch,
  isJsonObject,
  JsonObject,
  TwinPatch,
  TwinState,
  twinEtag,
  TwinView,
  unacknowledgedDesiredKeys,
} from '../twin-document';
import { DEVICES, DeviceRow, OPERATIONS, PENDING_ACKS, twinColumns, twinStateOf, twinViewOf } from './device-row';
import { OperationEntry } from './operation-log.store';
import { arrivalOfCurrentRequest } from '../http/arrival-clock';

export type PatchTwinResult =
  | { outcome: 'not-found' }
  | { outcome: 'etag-mismatch' }
  | { outcome: 'patched'; twin: TwinView; ackDueAt: Date | null };

/** Twins: reads, service-side patches (with the device's reaction), and delayed acknowledgements. */
export class TwinStore {
  constructor(private readonly dataSource: DataSource) {}

  async get(deviceId: string): Promise<TwinView | null> {
    const [row] = await queryRows<DeviceRow>(this.dataSource, `SELECT * FROM ${DEVICES} WHERE id = $1`, [deviceId]);
    return row ? twinViewOf(row) : null;
  }

  /**
   * Applies the patch and lets the device react: a fast online device acknowledges at once (the
   * answer already carries it); a slow one gets a pending acknowledgement. The write is one
   * statement guarded by the twin version read before it (optimistic), retried on a conflict.
   */
  async patch(deviceId: string, patch: TwinPatch, ifMatch: string | undefined, requestId: string | null): Promise<PatchTwinResult> {
    for (let attempt = 1; ; attempt++) {
      const [row] = await queryRows<DeviceRow>(this.dataSource, `SELECT * FROM ${DEVICES} WHERE id = $1`, [deviceId]);
      if (!row) return { outcome: 'not-found' };
      const before = twinStateOf(row);
      if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== twinEtag(before.twinVersion)) {
        return { outcome: 'etag-mismatch' };
      }
      const planned = planPatch(before, patch);
      const written = await this.writePatch(row, planned, {
        deviceId,
        kind: 'twin-patch',
        name: describeTwinPatch(patch),
        payload: patchBody(patch),
        requestId,
      });
      if (written) return { outcome: 'patched', twin: twinViewOf(written), ackDueAt: planned.ackDueAt };
      if (attempt >= MAX_PATCH_ATTEMPTS) throw new Error(`twin ${deviceId} kept changing while it was being patched`);
    }
  }

  /**
   * Sends the acknowledgements that are due at `nowMs` for a device and returns when its next
   * pending one falls due (`null` when none is left). A device that went offline meanwhile drops
   * them; it acknowledges outstanding settings when it comes back online. Each acknowledgement
   * carries the desired version and value of the row locked here, so it never claims a version
   * the device has not seen.
   */
  async acknowledgeDue(deviceId: string, nowMs: number = Date.now()): Promise<Date | null> {
    return this.dataSource.transaction(async (manager) => {
      const [row] = await queryRows<DeviceRow>(manager, `SELECT * FROM ${DEVICES} WHERE id = $1 FOR UPDATE`, [deviceId]);
      const due = await queryRows<{ name: string }>(
        manager,
        `DELETE FROM ${PENDING_ACKS} WHERE device_id = $1 AND due_at <= $2 RETURNING name`,
        [deviceId, new Date(nowMs)],
      );
      const behaviour = row ? behaviourFromTags(row.tags) : null;
      if (row && behaviour?.online && due.length > 0) {
        const state = twinStateOf(row);
        const acknowledged = acknowledgeSettings(state, due.map((entry) => entry.name), settingAckOf(behaviour));
        if (acknowledged !== state) await this.write(manager, deviceId, acknowledged);
      }
      const [next] = await queryRows<{ due_at: Date | string | null }>(
        manager,
        `SELECT min(due_at) AS due_at FROM ${PENDING_ACKS} WHERE device_id = $1`,
        [deviceId],
      );
      return next?.due_at ? new Date(next.due_at) : null;
    });
  }

  /** Logs a direct-method call and returns the device's tags; `null` for an unknown device. */
  async receiveMethodCall(deviceId: string, entry: OperationEntry): Promise<JsonObject | null> {
    const [row] = await queryRows<{ tags: JsonObject }>(
      this.dataSource,
      `WITH device AS (SELECT tags FROM ${DEVICES} WHERE id = $1),
         logged AS (
           INSERT INTO ${OPERATIONS} (device_id, kind, name, payload, request_id, received_at)
           SELECT $1, $2, $3, $4::jsonb, $5, coalesce($6::timestamptz, now()) WHERE EXISTS (SELECT 1 FROM device)
         )
       SELECT tags FROM device`,
      [deviceId, entry.kind, entry.name, JSON.stringify(entry.payload ?? null), entry.requestId, arrivalOfCurrentRequest()],
    );
    return row ? row.tags : null;
  }

  /** Devices with pending acknowledgements and the earliest due time, one page at a time. */
  async pendingAckDevices(afterDeviceId: string, limit: number): Promise<{ deviceId: string; dueAt: Date }[]> {
    const rows = await queryRows<{ device_id: string; due_at: Date }>(
      this.dataSource,
      `SELECT device_id, min(due_at) AS due_at FROM ${PENDING_ACKS} WHERE device_id > $1
       GROUP BY device_id ORDER BY device_id LIMIT $2`,
      [afterDeviceId, limit],
    );
    return rows.map((row) => ({ deviceId: row.device_id, dueAt: new Date(row.due_at) }));
  }

  /** Writes the planned twin, logs the patch and records pending acks in one statement; `null` on a version conflict. */
  private async writePatch(row: DeviceRow, planned: PlannedPatch, entry: OperationEntry): Promise<DeviceRow | null> {
    const [written] = await queryRows<DeviceRow>(
      this.dataSource,
      `WITH updated AS (
         UPDATE ${DEVICES} SET tags = $3::jsonb, desired = $4::jsonb, desired_version = $5, reported = $6::jsonb,
           reported_version = $7, twin_version = $8, updated_at = CASE WHEN $8 = $2 THEN updated_at ELSE now() END
         WHERE id = $1 AND twin_version = $2 RETURNING *
       ), logged AS (
         INSERT INTO ${OPERATIONS} (device_id, kind, name, payload, request_id, received_at)
         SELECT id, $9, $10, $11::jsonb, $12, coalesce($15::timestamptz, now()) FROM updated
       ), pending AS (
         INSERT INTO ${PENDING_ACKS} (device_id, name, due_at)
         SELECT updated.id, names.name, $14 FROM updated, unnest($13::text[]) AS names(name)
         ON CONFLICT (device_id, name) DO UPDATE SET due_at = EXCLUDED.due_at
       )
       SELECT * FROM updated`,
      [
        row.id,
        Number(row.twin_version),
        ...twinColumns(planned.state),
        entry.kind,
        entry.name,
        JSON.stringify(entry.payload ?? null),
        entry.requestId,
        planned.delayedAcks,
        planned.ackDueAt,
        arrivalOfCurrentRequest(),
      ],
    );
    return written ?? null;
  }

  private async write(executor: SqlExecutor, deviceId: string, state: TwinState): Promise<DeviceRow> {
    const [updated] = await queryRows<DeviceRow>(
      executor,
      `UPDATE ${DEVICES} SET tags = $2::jsonb, desired = $3::jsonb, desired_version = $4, reported = $5::jsonb,
         reported_version = $6, twin_version = $7, updated_at = now()
       WHERE id = $1 RETURNING *`,
      [deviceId, ...twinColumns(state)],
    );
    return updated;
  }
}

/** Names what a patch touched, e.g. `desired.fanSpeed,tags.properties.location`, for the operation log. */
export function describeTwinPatch(patch: TwinPatch): string {
  const names: string[] = [];
  for (const [key, value] of Object.entries(patch.tags ?? {})) {
    if (key === 'properties' && isJsonObject(value)) names.push(...Object.keys(value).map((name) => `tags.properties.${name}`));
    else names.push(`tags.${key}`);
  }
  names.push(...Object.keys(patch.desired ?? {}).map((name) => `desired.${name}`));
  return names.sort().join(',');
}

function patchBody(patch: TwinPatch): unknown {
  return {
    ...(patch.tags ? { tags: patch.tags } : {}),
    ...(patch.desired ? { properties: { desired: patch.desired } } : {}),
  };
}

const MAX_PATCH_ATTEMPTS = 20;

interface PlannedPatch {
  state: TwinState;
  /** Settings a slow device will acknowledge at `ackDueAt`. */
  delayedAcks: string[];
  ackDueAt: Date | null;
}

/** The twin after the patch and the device's reaction to it. */
function planPatch(before: TwinState, patch: TwinPatch, nowMs: number = Date.now()): PlannedPatch {
  const patched = applyTwinPatch(before, patch);
  const behaviourBefore = behaviourFromTags(before.tags);
  const behaviourAfter = behaviourFromTags(patched.state.tags);
  const toAcknowledge = settingsToAcknowledge(
    behaviourBefore,
    behaviourAfter,
    patched.writtenDesiredKeys,
    behaviourBefore.online ? [] : unacknowledgedDesiredKeys(patched.state),
  );
  const reaction = reactToSetting(behaviourAfter);
  if (toAcknowledge.length === 0 || reaction.kind !== 'acknowledge') return { state: patched.state, delayedAcks: [], ackDueAt: null };
  if (reaction.delayMs === 0) {
    return { state: acknowledgeSettings(patched.state, toAcknowledge, reaction.ack), delayedAcks: [], ackDueAt: null };
  }
  return { state: patched.state, delayedAcks: toAcknowledge, ackDueAt: new Date(nowMs + reaction.delayMs) };
}
