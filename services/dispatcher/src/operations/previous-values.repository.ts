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

/** One value to keep: what an operation of a job replaced on a device. */
export interface PreviousValueRecord extends RecordedPrevious {
  jobId: string;
  deviceId: string;
}

export function recordKey(value: { jobId: string; deviceId: string; kind: string; name: string }): string {
  return [value.jobId, value.deviceId, value.kind, value.name].join('\u0000');
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
  private readonly revertOfCache = new Map<string, Promise<string | null>>();

  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * Keeps what the twins held, in one statement. `replace`: no earlier attempt can have sent
   * anything, so a value read before is replaced; otherwise the first one kept stays (the twin may
   * already hold the job's value). Answers the keys (`recordKey`) of the values kept: one whose
   * device this worker no longer holds is not kept.
   */
  async recordAll(workerId: string, values: PreviousValueRecord[], replace: boolean): Promise<Set<string>> {
    if (values.length === 0) return new Set();
    const rows = await queryRows<{ job_id: string; device_id: string; kind: string; name: string }>(
      this.dataSource,
      `WITH v AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[]) AS v(job_id, device_id, kind, name, present, value)
       ), held AS (
         SELECT v.* FROM v JOIN ${S}.operations o
           ON o.job_id = v.job_id AND o.device_id = v.device_id AND o.worker_id = $7 AND o.status = 'in_flight'
       ), kept AS (
         INSERT INTO ${S}.previous_values (job_id, device_id, kind, name, present, value)
         SELECT job_id, device_id, kind, name, present, value::jsonb FROM held
         ON CONFLICT (job_id, device_id, kind, name) DO UPDATE SET present = EXCLUDED.present, value = EXCLUDED.value, recorded_at = now()
           WHERE $8::boolean
         RETURNING 1
       )
       SELECT job_id, device_id, kind, name FROM held`,
      [
        values.map((value) => value.jobId),
        values.map((value) => value.deviceId),
        values.map((value) => value.kind),
        values.map((value) => value.name),
        values.map((value) => value.previous.present),
        values.map((value) => (value.previous.present ? JSON.stringify(value.previous.value ?? null) : null)),
        workerId,
        replace,
      ],
    );
    return new Set(rows.map((row) => recordKey({ jobId: row.job_id, deviceId: row.device_id, kind: row.kind, name: row.name })));
  }

  /**
   * What `jobId` replaced on the device, for each operation it applied there. Values kept for a
   * device to which nothing was sent in the end (its job was stopped or paused at the permit, the
   * hub could not be reached) are left out: putting them back could undo a later change.
   */
  async recordedOn(jobId: string, deviceId: string): Promise<RecordedPrevious[]> {
    const rows = await queryRows<{ kind: string; name: string; present: boolean; value: unknown }>(
      this.dataSource,
      `SELECT p.kind, p.name, p.present, p.value FROM ${S}.previous_values p
       WHERE p.job_id = $1 AND p.device_id = $2
         AND EXISTS (SELECT 1 FROM ${S}.operations o WHERE o.job_id = p.job_id AND o.device_id = p.device_id AND o.sent_at IS NOT NULL)`,
      [jobId, deviceId],
    );
    return rows.map((row) => ({ kind: row.kind, name: row.name, previous: row.present ? { present: true, value: row.value } : { present: false } }));
  }

  async registerRevert(tx: SqlExecutor, jobId: string, revertOf: string): Promise<void> {
    await tx.query(`INSERT INTO ${S}.reverts (job_id, revert_of) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [jobId, revertOf]);
  }

  /** The job `jobId` reverts; null for any other job. Asked once a job is claimable, so its JobCreated is in. */
  revertOf(jobId: string): Promise<string | null> {
    // The answer being read is shared: the devices of a claim all ask at once.
    const cached = this.revertOfCache.get(jobId);
    if (cached !== undefined) return cached;
    const answer = queryRows<{ revert_of: string }>(this.dataSource, `SELECT revert_of FROM ${S}.reverts WHERE job_id = $1`, [jobId]).then(
      (rows) => rows[0]?.revert_of ?? null,
    );
    if (this.revertOfCache.size >= REVERT_OF_CACHE) this.revertOfCache.clear();
    this.revertOfCache.set(jobId, answer);
    // A failed read is not remembered: the next device asks again.
    answer.catch(() => {
      if (this.revertOfCache.get(jobId) === answer) this.revertOfCache.delete(jobId);
    });
    return answer;
  }
}
