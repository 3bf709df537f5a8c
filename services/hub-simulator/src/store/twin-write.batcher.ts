import { DataSource } from 'typeorm';
import { queryPrepared } from '@fleetjobs/persistence-pg';
import { TwinState } from '../twin-document';
import { DEVICES, OPERATIONS, PENDING_ACKS } from './device-row';
import { OperationEntry } from './operation-log.store';

/** A twin write: the state it leaves, guarded by the version it started from, with its log entry. */
export interface TwinWrite {
  deviceId: string;
  expectedVersion: number;
  /** The state the write started from; parts it left as they were are not written again. */
  before: TwinState;
  state: TwinState;
  updatedAt: Date;
  entry: OperationEntry;
  receivedAt: Date;
  /** Settings the device acknowledges later, at `dueAt`. */
  pendingAcks: { names: string[]; dueAt: Date } | null;
}

/** A direct-method call to log, if its device still exists. */
export interface MethodLog {
  entry: OperationEntry;
  receivedAt: Date;
}

export interface TwinWriteListener {
  committed(deviceId: string, state: TwinState, updatedAt: Date): void;
  conflicted(deviceIds: string[]): void;
}

type Pending =
  | { write: TwinWrite; resolve: (written: boolean) => void; reject: (error: unknown) => void }
  | { method: MethodLog; resolve: (logged: boolean) => void; reject: (error: unknown) => void };

const MAX_BATCH = 1000;

/**
 * Commits the twin writes and operation-log entries of concurrent requests together, in one
 * statement (group commit): each request is answered once its write is durable, and the database
 * sees one round trip per batch instead of several per request. A twin write lands only onto the
 * version it was computed from; otherwise it reports a conflict and the caller starts again.
 */
export class TwinWriteBatcher {
  private queue: Pending[] = [];
  private flushing = false;
  private scheduled = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly listener: TwinWriteListener,
  ) {}

  /** `true` once written, `false` when the twin changed since `expectedVersion` (nothing written). */
  writeTwin(write: TwinWrite): Promise<boolean> {
    return new Promise((resolve, reject) => this.enqueue({ write, resolve, reject }));
  }

  /** `true` once logged, `false` when the device does not exist. */
  logMethod(method: MethodLog): Promise<boolean> {
    return new Promise((resolve, reject) => this.enqueue({ method, resolve, reject }));
  }

  private enqueue(pending: Pending): void {
    this.queue.push(pending);
    if (this.flushing || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        await this.commit(batch);
      }
    } finally {
      this.flushing = false;
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    const updates = new Map<string, { id: string; expected: number; before: TwinState; state: TwinState; updatedAt: Date }>();
    const acks = new Map<string, { device_id: string; name: string; due_at: Date }>();
    const entries = batch.map((pending, i) => {
      const source = 'write' in pending ? pending.write : pending.method;
      if ('write' in pending) {
        const { write } = pending;
        const earlier = updates.get(write.deviceId);
        updates.set(write.deviceId, {
          id: write.deviceId,
          expected: earlier ? earlier.expected : write.expectedVersion,
          before: earlier ? earlier.before : write.before,
          state: write.state,
          updatedAt: write.updatedAt,
        });
        for (const name of write.pendingAcks?.names ?? []) {
          acks.set(`${write.deviceId}\n${name}`, { device_id: write.deviceId, name, due_at: write.pendingAcks!.dueAt });
        }
      }
      return {
        i,
        device_id: source.entry.deviceId,
        kind: source.entry.kind,
        name: source.entry.name,
        payload: source.entry.payload ?? null,
        request_id: source.entry.requestId,
        received_at: source.receivedAt,
        guarded: 'write' in pending,
      };
    });
    let accepted: Set<number>;
    try {
      const rows = await queryPrepared<{ i: number }>(this.dataSource, BATCH_SQL, [
        JSON.stringify(
          [...updates.values()].map((update) => ({
            id: update.id,
            expected: update.expected,
            // A patch keeps the objects it does not change, so an unchanged part is the very same object.
            tags: update.state.tags === update.before.tags ? undefined : update.state.tags,
            desired: update.state.desired === update.before.desired ? undefined : update.state.desired,
            desired_version: update.state.desiredVersion,
            reported: update.state.reported === update.before.reported ? undefined : update.state.reported,
            reported_version: update.state.reportedVersion,
            twin_version: update.state.twinVersion,
            updated_at: update.updatedAt,
          })),
        ),
        JSON.stringify(entries),
        JSON.stringify([...acks.values()]),
        [...updates.keys()],
        [...new Set(entries.filter((entry) => !entry.guarded).map((entry) => entry.device_id))],
      ]);
      accepted = new Set(rows.map((row) => Number(row.i)));
    } catch (error) {
      this.listener.conflicted([...updates.keys()]);
      batch.forEach((pending) => pending.reject(error));
      return;
    }
    const written = new Set(entries.filter((entry) => entry.guarded && accepted.has(entry.i)).map((entry) => entry.device_id));
    const conflicts: string[] = [];
    for (const update of updates.values()) {
      if (written.has(update.id)) this.listener.committed(update.id, update.state, update.updatedAt);
      else conflicts.push(update.id);
    }
    if (conflicts.length > 0) this.listener.conflicted(conflicts);
    batch.forEach((pending, i) => (pending.resolve as (value: boolean) => void)(accepted.has(i)));
  }
}

/**
 * $1 the twin updates (one per device; a part left out is unchanged), $2 the log entries in arrival order (`guarded`: logged
 * only with its device's update; otherwise only if the device exists), $3 pending acknowledgements,
 * $4 and $5 the ids of the updated devices and of the other entries' devices: matching the table
 * by an id list lets the planner use the primary key, where a join with the JSON rows (estimated
 * at 100) would scan a small or never-analysed table (PGlite has no autovacuum) on every batch.
 * Answers the positions of the entries that were logged.
 */
const BATCH_SQL = `
WITH updates AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS u(id text, expected bigint, tags jsonb, desired jsonb, desired_version integer,
    reported jsonb, reported_version integer, twin_version bigint, updated_at timestamptz)
), updated AS (
  UPDATE ${DEVICES} d SET tags = coalesce(u.tags, d.tags), desired = coalesce(u.desired, d.desired),
    desired_version = u.desired_version, reported = coalesce(u.reported, d.reported),
    reported_version = u.reported_version, twin_version = u.twin_version, updated_at = u.updated_at
  FROM updates u WHERE d.id = ANY($4::text[]) AND d.id = u.id AND d.twin_version = u.expected
  RETURNING d.id
), present AS (
  SELECT id FROM ${DEVICES} WHERE id = ANY($5::text[])
), entries AS (
  SELECT * FROM jsonb_to_recordset($2::jsonb) AS e(i integer, device_id text, kind text, name text, payload jsonb,
    request_id text, received_at timestamptz, guarded boolean)
), accepted AS (
  SELECT e.* FROM entries e
  WHERE CASE WHEN e.guarded THEN e.device_id IN (SELECT id FROM updated)
    ELSE e.device_id IN (SELECT id FROM present) END
), logged AS (
  INSERT INTO ${OPERATIONS} (device_id, kind, name, payload, request_id, received_at)
  SELECT device_id, kind, name, payload, request_id, received_at FROM accepted ORDER BY i
), pending AS (
  INSERT INTO ${PENDING_ACKS} (device_id, name, due_at)
  SELECT a.device_id, a.name, a.due_at FROM jsonb_to_recordset($3::jsonb) AS a(device_id text, name text, due_at timestamptz)
  WHERE a.device_id IN (SELECT id FROM updated)
  ON CONFLICT (device_id, name) DO UPDATE SET due_at = EXCLUDED.due_at
)
SELECT i FROM accepted`;
