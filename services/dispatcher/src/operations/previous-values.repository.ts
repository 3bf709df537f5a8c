import { Inject, Injectable } from '@nestjs/common';
import type { PreviousValue } from '@fleetjobs/device-gateway';
import { queryRows, SqlExecutor } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';

/** One value an operation replaced on one device: by the operation's type and name. */
export interface RecordedPrevious {
  kind: string;
  name: string;
  previous: PreviousValue;
}

/** Which job a job reverts is fixed at its creation: a process remembers this many answers. */
const REVERT_OF_CACHE = 1000;

/**
 * The values that property and setting operations replaced, per job and device, and the jobs
 * that revert another. A value is written before the request that replaces it is sent, and only
 * while this worker holds the device's claim.
 */
@Injectable()
export class PreviousValuesRepository {
  private readonly revertOfCache = new Map<string, string | null>();

  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * Keeps what the twin held. `replace`: no earlier attempt can have sent anything, so a value
   * read before is replaced; otherwise the first one kept stays (the twin may already hold the
   * job's value). Answers false when this worker no longer holds the claim: nothing was kept.
   */
  async record(workerId: string, jobId: string, deviceId: string, value: RecordedPrevious, replace: boolean): Promise<boolean> {
    const { previous } = value;
    const rows = await queryRows<{ held: boolean }>(
      this.dataSource,
      `WITH held AS (
         SELECT true AS held FROM ${S}.operations
         WHERE job_id = $1 AND device_id = $2 AND worker_id = $7 AND status = 'in_flight'
       ), kept AS (
         INSERT INTO ${S}.previous_values (job_id, device_id, kind, name, present, value)
         SELECT $1, $2, $3, $4, $5, $6::jsonb FROM held
         ON CONFLICT (job_id, device_id, kind, name) DO UPDATE SET present = EXCLUDED.present, value = EXCLUDED.value, recorded_at = now()
           WHERE $8::boolean
         RETURNING 1
       )
       SELECT held FROM held`,
      [jobId, deviceId, value.kind, value.name, previous.present, previous.present ? JSON.stringify(previous.value ?? null) : null, workerId, replace],
    );
    return rows.length > 0;
  }

  /** What `jobId` replaced on the device, for each operation it applied there. */
  async recordedOn(jobId: string, deviceId: string): Promise<RecordedPrevious[]> {
    const rows = await queryRows<{ kind: string; name: string; present: boolean; value: unknown }>(
      this.dataSource,
      `SELECT kind, name, present, value FROM ${S}.previous_values WHERE job_id = $1 AND device_id = $2`,
      [jobId, deviceId],
    );
    return rows.map((row) => ({ kind: row.kind, name: row.name, previous: row.present ? { present: true, value: row.value } : { present: false } }));
  }

  async registerRevert(tx: SqlExecutor, jobId: string, revertOf: string): Promise<void> {
    await tx.query(`INSERT INTO ${S}.reverts (job_id, revert_of) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [jobId, revertOf]);
  }

  /** The job `jobId` reverts; null for any other job. Asked once a job is claimable, so its JobCreated is in. */
  async revertOf(jobId: string): Promise<string | null> {
    const cached = this.revertOfCache.get(jobId);
    if (cached !== undefined) return cached;
    const rows = await queryRows<{ revert_of: string }>(this.dataSource, `SELECT revert_of FROM ${S}.reverts WHERE job_id = $1`, [jobId]);
    const revertOf = rows[0]?.revert_of ?? null;
    if (this.revertOfCache.size >= REVERT_OF_CACHE) this.revertOfCache.clear();
    this.revertOfCache.set(jobId, revertOf);
    return revertOf;
  }
}
