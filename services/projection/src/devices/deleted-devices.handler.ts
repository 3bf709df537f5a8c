import { Inject, Injectable } from '@nestjs/common';
import { DeviceDeleted, DeviceRegistered, FleetEvent } from '@fleetjobs/contracts';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource, EntityManager } from 'typeorm';
import { toIsoInstant } from '../jobs/projection-time';
import { PROJECTION_SCHEMA as S } from '../projection.tokens';

/**
 * Advisory lock between device deletions (exclusive) and job batches (shared): a deletion waits
 * for job batches in flight and job batches wait for a deletion in flight, so a target row written
 * at the same moment as a deletion is always seen by one of the two and marked.
 */
export const DELETIONS_LOCK = 'fleetjobs-projection:device-deletions';

type DeviceLifecycleEvent = DeviceDeleted | DeviceRegistered;

const isLifecycle = (event: FleetEvent): event is DeviceLifecycleEvent =>
  event.type === 'DeviceDeleted' || event.type === 'DeviceRegistered';

/**
 * Splits a batch into rounds holding at most one event per device, keeping each device's order;
 * each round is then applied set-wise. A device rarely appears twice in one batch.
 */
function rounds(events: DeviceLifecycleEvent[]): DeviceLifecycleEvent[][] {
  const result: DeviceLifecycleEvent[][] = [];
  const seen = new Map<string, number>();
  for (const event of events) {
    const round = seen.get(event.data.deviceId) ?? 0;
    seen.set(event.data.deviceId, round + 1);
    (result[round] ??= []).push(event);
  }
  return result;
}

/**
 * Applies device deletions to the jobs' device rows: rows of jobs created before the deletion
 * are marked deleted (and stay listed), and the deletion is remembered so that target rows
 * arriving later are marked too, until the same id is registered again as a new device.
 */
@Injectable()
export class DeletedDevicesHandler {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async apply(events: FleetEvent[]): Promise<void> {
    const relevant = events.filter(isLifecycle);
    if (relevant.length === 0) return;
    const hasDeletions = relevant.some((event) => event.type === 'DeviceDeleted');
    await this.dataSource.transaction(async (tx) => {
      if (hasDeletions) await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [DELETIONS_LOCK]);
      for (const round of rounds(relevant)) {
        const deleted = round.filter((e): e is DeviceDeleted => e.type === 'DeviceDeleted');
        const registered = round.filter((e): e is DeviceRegistered => e.type === 'DeviceRegistered');
        await this.markDeleted(tx, deleted);
        await this.forget(tx, registered);
      }
    });
  }

  private async markDeleted(tx: EntityManager, events: DeviceDeleted[]): Promise<void> {
    const deletions = events
      .map((e) => ({ deviceId: e.data.deviceId, deletedAt: toIsoInstant(e.data.deletedAt) ?? toIsoInstant(e.time) }))
      .filter((d): d is { deviceId: string; deletedAt: string } => d.deletedAt !== null);
    if (deletions.length === 0) return;
    const params = [deletions.map((d) => d.deviceId), deletions.map((d) => d.deletedAt)];
    await tx.query(
      `UPDATE ${S}.job_devices AS jd SET deleted = true
         FROM unnest($1::text[], $2::timestamptz[]) AS m(device_id, deleted_at), ${S}.jobs j
        WHERE jd.device_id = m.device_id AND NOT jd.deleted AND j.id = jd.job_id AND j.created_at < m.deleted_at`,
      params,
    );
    await tx.query(
      `INSERT INTO ${S}.deleted_devices AS d (device_id, deleted_at)
       SELECT * FROM unnest($1::text[], $2::timestamptz[])
       ON CONFLICT (device_id) DO UPDATE SET deleted_at = GREATEST(d.deleted_at, EXCLUDED.deleted_at)`,
      params,
    );
  }

  /** A registration after a deletion is a new device: later target rows are not marked. */
  private async forget(tx: EntityManager, events: DeviceRegistered[]): Promise<void> {
    if (events.length === 0) return;
    await tx.query(
      `DELETE FROM ${S}.deleted_devices AS d
        USING unnest($1::text[], $2::timestamptz[]) AS r(device_id, registered_at)
        WHERE d.device_id = r.device_id AND (r.registered_at IS NULL OR d.deleted_at <= r.registered_at)`,
      [events.map((e) => e.data.deviceId), events.map((e) => toIsoInstant(e.time))],
    );
  }
}
