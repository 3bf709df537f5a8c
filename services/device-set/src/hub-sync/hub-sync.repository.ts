import { queryPrepared, queryRows, SqlExecutor } from '@fleetjobs/persistence-pg';
import { TABLES } from '../device-set.schema';

/** A device under a lease, as it is now: `null` fields when it no longer exists. */
export interface LeasedDevice {
  deviceId: string;
  /** The device's current version; `null` when it was deleted. */
  version: string | null;
  displayName: string | null;
  template: string | null;
  tags: Record<string, unknown> | null;
  syncedVersion: string;
  refusedVersion: string;
}

/** A device the hub sync gave up on: refused by the hub (not tried again until it changes), or failing for the whole retry window. */
export interface HubSyncFailure {
  deviceId: string;
  version: string | null;
  operation: 'upsert' | 'delete';
  cause: 'refused' | 'retries-exhausted';
  reason: string;
}

/** The outcome of one lease, written when it is released. */
export interface LeaseOutcome {
  /** Devices the hub now holds at this version. */
  synced: { deviceId: string; version: string }[];
  /** Devices deleted from the hub. */
  deleted: string[];
  /** Devices the hub sync gave up on, with why; only refused versions are not tried again. */
  failed: HubSyncFailure[];
}

/** SQL of `hub_sync` and `hub_sync_failures`. Versions travel as strings (bigint). */
export const hubSyncRepository = {
  /**
   * Which of `ids` the hub may not hold as they are now: existing devices whose current version
   * is neither synced nor refused, and, with `deleted`, ids that no longer exist as devices.
   */
  async needingSync(executor: SqlExecutor, ids: readonly string[], deleted: boolean): Promise<string[]> {
    if (ids.length === 0) return [];
    // Each id is looked up by its key (a LATERAL with LIMIT is never turned into a join): without
    // statistics, as after a fleet's import, a plain join read the whole of hub_sync for every
    // chunk of a job's targets, a cost per chunk growing with the fleet.
    const rows = await queryPrepared<{ id: string }>(
      executor,
      `SELECT i.id
         FROM unnest($1::text[]) AS i(id)
         LEFT JOIN LATERAL (SELECT d.id, d.version FROM ${TABLES.devices} d WHERE d.id = i.id LIMIT 1) d ON true
         LEFT JOIN LATERAL (SELECT s.synced_version, s.refused_version FROM ${TABLES.hubSync} s WHERE s.device_id = i.id LIMIT 1) s ON true
        WHERE CASE WHEN d.id IS NULL THEN $2::boolean
                   ELSE d.version > COALESCE(s.synced_version, 0) AND d.version > COALESCE(s.refused_version, 0) END`,
      [[...new Set(ids)], deleted],
    );
    return rows.map((row) => row.id);
  },

  /**
   * Leases those of `ids` nobody else holds (or whose lease ran out) to `owner`, creating their
   * rows as needed; answers the ids leased. Rows locked by a concurrent claim are skipped, never
   * waited for, so two claims cannot deadlock.
   */
  async claim(executor: SqlExecutor, ids: readonly string[], owner: string, leaseMs: number): Promise<string[]> {
    if (ids.length === 0) return [];
    await executor.query(
      `INSERT INTO ${TABLES.hubSync} (device_id) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT DO NOTHING`,
      [[...ids]],
    );
    const rows = await queryRows<{ device_id: string }>(
      executor,
      `UPDATE ${TABLES.hubSync} s
          SET lease_owner = $2, lease_until = now() + make_interval(secs => $3::double precision / 1000)
        WHERE s.device_id IN (
                SELECT device_id FROM ${TABLES.hubSync}
                 WHERE device_id = ANY($1::text[]) AND (lease_until IS NULL OR lease_until < now())
                 ORDER BY device_id
                 FOR UPDATE SKIP LOCKED)
        RETURNING s.device_id`,
      [[...ids], owner, leaseMs],
    );
    return rows.map((row) => row.device_id);
  },

  /** Extends the leases of `owner`. */
  async renew(executor: SqlExecutor, owner: string, leaseMs: number): Promise<void> {
    await executor.query(
      `UPDATE ${TABLES.hubSync} SET lease_until = now() + make_interval(secs => $2::double precision / 1000) WHERE lease_owner = $1`,
      [owner, leaseMs],
    );
  },

  /** The current state of the devices leased to `owner`, read after the lease was taken. */
  async leased(executor: SqlExecutor, owner: string): Promise<LeasedDevice[]> {
    const rows = await queryRows<{
      device_id: string;
      version: string | null;
      display_name: string | null;
      template: string | null;
      tags: Record<string, unknown> | null;
      synced_version: string;
      refused_version: string;
    }>(
      executor,
      `SELECT s.device_id, d.version, d.display_name, d.template, d.tags, s.synced_version, s.refused_version
         FROM ${TABLES.hubSync} s LEFT JOIN ${TABLES.devices} d ON d.id = s.device_id
        WHERE s.lease_owner = $1
        ORDER BY s.device_id`,
      [owner],
    );
    return rows.map((row) => ({
      deviceId: row.device_id,
      version: row.version === null ? null : String(row.version),
      displayName: row.display_name,
      template: row.template,
      tags: row.tags,
      syncedVersion: String(row.synced_version),
      refusedVersion: String(row.refused_version),
    }));
  },

  /**
   * Records what one lease achieved and releases it, in the caller's transaction. A synced or
   * refused version only ever grows; a device deleted from the hub loses its row (the hub holds
   * nothing of it), unless it was created again meanwhile.
   */
  async release(executor: SqlExecutor, owner: string, outcome: LeaseOutcome, source: string): Promise<void> {
    if (outcome.synced.length > 0) {
      await executor.query(
        `UPDATE ${TABLES.hubSync} s SET synced_version = GREATEST(s.synced_version, v.version)
           FROM unnest($1::text[], $2::bigint[]) AS v(device_id, version)
          WHERE s.device_id = v.device_id AND s.lease_owner = $3`,
        [outcome.synced.map((entry) => entry.deviceId), outcome.synced.map((entry) => entry.version), owner],
      );
    }
    const refused = outcome.failed.filter((failure) => failure.cause === 'refused' && failure.version !== null);
    if (refused.length > 0) {
      await executor.query(
        `UPDATE ${TABLES.hubSync} s SET refused_version = GREATEST(s.refused_version, v.version)
           FROM unnest($1::text[], $2::bigint[]) AS v(device_id, version)
          WHERE s.device_id = v.device_id AND s.lease_owner = $3`,
        [refused.map((failure) => failure.deviceId), refused.map((failure) => failure.version), owner],
      );
    }
    if (outcome.failed.length > 0) {
      await executor.query(
        `INSERT INTO ${TABLES.hubSyncFailures} (device_id, version, operation, cause, source, reason)
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[])`,
        [
          outcome.failed.map((failure) => failure.deviceId),
          outcome.failed.map((failure) => failure.version),
          outcome.failed.map((failure) => failure.operation),
          outcome.failed.map((failure) => failure.cause),
          outcome.failed.map(() => source),
          outcome.failed.map((failure) => failure.reason),
        ],
      );
    }
    if (outcome.deleted.length > 0) {
      await executor.query(
        `DELETE FROM ${TABLES.hubSync} s
          WHERE s.device_id = ANY($1::text[]) AND s.lease_owner = $2
            AND NOT EXISTS (SELECT 1 FROM ${TABLES.devices} d WHERE d.id = s.device_id)`,
        [outcome.deleted, owner],
      );
    }
    await executor.query(`UPDATE ${TABLES.hubSync} SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1`, [owner]);
  },

  /**
   * Devices just read from the hub are in step at their version. A device leased to a writer
   * is left for that writer, which reads it again after its lease; this mark must not hide the
   * state it is about to write.
   */
  async markInStep(executor: SqlExecutor, versions: readonly { id: string; version: string }[]): Promise<void> {
    if (versions.length === 0) return;
    await executor.query(
      `INSERT INTO ${TABLES.hubSync} AS s (device_id, synced_version)
       SELECT * FROM unnest($1::text[], $2::bigint[]) ORDER BY 1
       ON CONFLICT (device_id) DO UPDATE SET synced_version = GREATEST(s.synced_version, EXCLUDED.synced_version)
        WHERE s.lease_until IS NULL OR s.lease_until < now()`,
      [versions.map((entry) => entry.id), versions.map((entry) => entry.version)],
    );
  },

  /** The failures recorded for one device, oldest first. */
  async failuresOf(executor: SqlExecutor, deviceId: string): Promise<(HubSyncFailure & { source: string })[]> {
    const rows = await queryRows<{
      device_id: string;
      version: string | null;
      operation: HubSyncFailure['operation'];
      cause: HubSyncFailure['cause'];
      source: string;
      reason: string;
    }>(
      executor,
      `SELECT device_id, version, operation, cause, source, reason FROM ${TABLES.hubSyncFailures} WHERE device_id = $1 ORDER BY id`,
      [deviceId],
    );
    return rows.map((row) => ({
      deviceId: row.device_id,
      version: row.version === null ? null : String(row.version),
      operation: row.operation,
      cause: row.cause,
      source: row.source,
      reason: row.reason,
    }));
  },
};
