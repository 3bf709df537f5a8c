import { Inject, Injectable } from '@nestjs/common';
import type { PreviousValue } from '@fleetjobs/device-gateway';
import { queryPrepared, queryRows, SqlExecutor } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';
import { workKey } from '../work/dispatch-events';

/** One value an operation replaced on one device: by the operation's type and name. */
export interface RecordedPrevious {
  kind: string;
  name: string;
  previous: PreviousValue;
}

/** A send mark of one claimed device, with the values its writes about to leave replace. */
export interface SendMark {
  jobId: string;
  deviceId: string;
  keep?: RecordedPrevious[];
  /** Whether a value kept before for the device is replaced (see `markSent`); default true. */
  replace?: boolean;
}

/** Which job a job reverts is fixed at its creation: a process remembers this many answers. */
const REVERT_OF_CACHE = 1000;

/**
 * The send marks of claimed devices, the values that property and setting operations replaced,
 * per job and device, and the jobs that revert another. A value is written with the send mark,
 * before the request that replaces it is sent, and only while this worker holds the device's claim.
 */
@Injectable()
export class PreviousValuesRepository {
  private readonly revertOfCache = new Map<string, Promise<string | null>>();

  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * Records, before the first request of a device that may change it leaves (and again before a
   * request that writes a value kept here), that it may have been sent, and keeps the values its
   * writes replace, in one statement: a claim without the mark provably sent nothing, and a value
   * is kept only with the mark. Answers the claims still held by this worker (`workKey`); nothing
   * is written for the others (a claim concluded meanwhile as orphaned must not send). `replace`
   * false: an earlier attempt may have sent something, so a value kept before stays (the twin may
   * already hold the job's value); true: no earlier attempt can have, and a value read before is
   * replaced.
   */
  async markSent(workerId: string, marks: SendMark[]): Promise<Set<string>> {
    if (marks.length === 0) return new Set();
    const values = marks.flatMap((mark) => (mark.keep ?? []).map((value) => ({ ...value, jobId: mark.jobId, deviceId: mark.deviceId, replace: mark.replace ?? true })));
    const rows = await queryPrepared<{ job_id: string; device_id: string }>(
      this.dataSource,
      `WITH marked AS (
         UPDATE ${S}.operations o SET sent_at = coalesce(o.sent_at, now())
         FROM (SELECT unnest($1::text[]) AS job_id, unnest($2::text[]) AS device_id) m
         WHERE o.job_id = m.job_id AND o.device_id = m.device_id AND o.worker_id = $3 AND o.status = 'in_flight'
         RETURNING o.job_id, o.device_id
       ), held AS (
         SELECT v.* FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::boolean[], $9::text[], $10::boolean[])
           AS v(job_id, device_id, kind, name, present, value, replace)
         JOIN marked ON marked.job_id = v.job_id AND marked.device_id = v.device_id
       ), replaced AS (
         INSERT INTO ${S}.previous_values (job_id, device_id, kind, name, present, value)
         SELECT job_id, device_id, kind, name, present, value::jsonb FROM held WHERE replace
         ON CONFLICT (job_id, device_id, kind, name) DO UPDATE SET present = EXCLUDED.present, value = EXCLUDED.value, recorded_at = now()
         RETURNING 1
       ), first_kept AS (
         INSERT INTO ${S}.previous_values (job_id, device_id, kind, name, present, value)
         SELECT job_id, device_id, kind, name, present, value::jsonb FROM held WHERE NOT replace
         ON CONFLICT (job_id, device_id, kind, name) DO NOTHING
         RETURNING 1
       )
       SELECT job_id, device_id FROM marked`,
      [
        marks.map((mark) => mark.jobId),
        marks.map((mark) => mark.deviceId),
        workerId,
        values.map((value) => value.jobId),
        values.map((value) => value.deviceId),
        values.map((value) => value.kind),
        values.map((value) => value.name),
        values.map((value) => value.previous.present),
        values.map((value) => (value.previous.present ? JSON.stringify(value.previous.value ?? null) : null)),
        values.map((value) => value.replace),
      ],
    );
    return new Set(rows.map((row) => workKey(row.job_id, row.device_id)));
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
