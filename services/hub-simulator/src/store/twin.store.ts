import { DataSource } from 'typeorm';
import { queryPrepared, queryRows, SqlExecutor } from '@fleetjobs/persistence-pg';
import { HubResponse } from '../http/hub-exchange';
import { twinSizeLimitError } from '../hub-limits.admission';
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
import { DeviceCache, twinViewOfCached } from './device-cache';
import { DEVICES, DeviceRow, PENDING_ACKS, twinColumns, twinStateOf } from './device-row';
import { OperationEntry } from './operation-log.store';
import { TwinWriteBatcher } from './twin-write.batcher';

export type PatchTwinResult =
  | { outcome: 'not-found' }
  | { outcome: 'etag-mismatch' }
  /** The hub refuses the patch (it would grow a twin section beyond its size limit). */
  | { outcome: 'refused'; answer: HubResponse }
  | { outcome: 'patched'; twin: TwinView; ackDueAt: Date | null };

const MAX_PATCH_ATTEMPTS = 20;
const CACHED_COLUMNS = 'id, etag, tags, desired, desired_version, reported, reported_version, twin_version, updated_at';

/**
 * Twins: reads, service-side patches (with the device's reaction), and delayed acknowledgements.
 * Reads come from the device cache; writes of concurrent requests are committed together.
 */
export class TwinStore {
  private readonly cache: DeviceCache;
  private readonly writes: TwinWriteBatcher;

  constructor(private readonly dataSource: DataSource) {
    this.cache = new DeviceCache((ids) =>
      queryPrepared<DeviceRow>(this.dataSource, `SELECT ${CACHED_COLUMNS} FROM ${DEVICES} WHERE id = ANY($1::text[])`, [ids]),
    );
    this.writes = new TwinWriteBatcher(dataSource, {
      committed: (id, state, at) => this.cache.committed(id, state, at),
      conflicted: (ids) => this.cache.invalidate(ids),
    });
  }

  /** Call after another statement wrote these devices' rows (registry writes, seeding). */
  devicesChanged(ids: Iterable<string>): void {
    this.cache.invalidate(ids);
  }

  /** The twin as committed (a patch still being written is not shown before it is durable). */
  async get(deviceId: string): Promise<TwinView | null> {
    const device = await this.cache.get(deviceId);
    return device ? twinViewOfCached(device, device.committed, device.committedAt) : null;
  }

  /**
   * Applies the patch and lets the device react: a fast online device acknowledges at once (the
   * answer already carries it); a slow one gets a pending acknowledgement. The write is guarded
   * by the twin version it was computed from, and computed again on a conflict.
   */
  async patch(
    deviceId: string,
    patch: TwinPatch,
    ifMatch: string | undefined,
    requestId: string | null,
    arrivedAt: Date = new Date(),
  ): Promise<PatchTwinResult> {
    for (let attempt = 1; ; attempt++) {
      const device = await this.cache.get(deviceId);
      if (!device) return { outcome: 'not-found' };
      const before = device.latest;
      if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== twinEtag(before.twinVersion)) {
        return { outcome: 'etag-mismatch' };
      }
      const nowMs = Date.now();
      const planned = planPatch(before, patch, nowMs);
      const oversized = twinSizeLimitError(before, planned.state, patch);
      if (oversized) return { outcome: 'refused', answer: oversized };
      const updatedAt = planned.state.twinVersion === before.twinVersion ? device.latestAt : new Date(nowMs);
      device.latest = planned.state;
      device.latestAt = updatedAt;
      const written = await this.writes.writeTwin({
        deviceId,
        expectedVersion: before.twinVersion,
        before,
        state: planned.state,
        updatedAt,
        entry: { deviceId, kind: 'twin-patch', name: describeTwinPatch(patch), payload: patchBody(patch), requestId },
        receivedAt: arrivedAt,
        pendingAcks: planned.ackDueAt ? { names: planned.delayedAcks, dueAt: planned.ackDueAt } : null,
      });
      if (written) return { outcome: 'patched', twin: twinViewOfCached(device, planned.state, updatedAt), ackDueAt: planned.ackDueAt };
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
    const next = await this.dataSource.transaction(async (manager) => {
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
      const [pending] = await queryRows<{ due_at: Date | string | null }>(
        manager,
        `SELECT min(due_at) AS due_at FROM ${PENDING_ACKS} WHERE device_id = $1`,
        [deviceId],
      );
      return pending?.due_at ? new Date(pending.due_at) : null;
    });
    this.cache.invalidate([deviceId]);
    return next;
  }

  /** Logs a direct-method call and returns the device's tags; `null` for an unknown device. */
  async receiveMethodCall(deviceId: string, entry: OperationEntry, arrivedAt: Date = new Date()): Promise<JsonObject | null> {
    const device = await this.cache.get(deviceId);
    if (!device) return null;
    const tags = device.committed.tags;
    if (await this.writes.logMethod({ entry, receivedAt: arrivedAt })) return tags;
    this.cache.invalidate([deviceId]);
    return null;
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
