import { Inject, Injectable } from '@nestjs/common';
import { JobOperation, MaintenanceWindow, Rollout } from '@fleetjobs/contracts';
import { queryRows } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { normalizeRollout } from '@fleetjobs/rollout';
import { DataSource } from 'typeorm';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';
import { decideRolloutClaim } from '../rollout/rollout-claim.decider';
import { zonesParameter } from '../windows/device-zones.store';
import { ClaimCursors } from './claim-cursors';
import { claimPlainWork, cursorOf, readyAfterCursor } from './dispatch-claim.statement';
import { ClaimedWork } from './dispatch-events';

/** How long claims go through the transaction after a job with rules was seen. */
const RULED_CLAIMS_MS = 2000;

/**
 * Claims of the work table every dispatcher process shares. A claim holds its jobs' rows while
 * it commits: a halt waits for claims in progress, and no claim commits for a halted job.
 */
@Injectable()
export class DispatchClaimRepository {
  /** Until then claims decide jobs' rules in a transaction: one with a rollout, a rate or windows was active. */
  private ruledUntil = 0;
  /** Where this process's plain claims look first in each job. */
  private readonly cursors = new ClaimCursors();

  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * Claims up to `limit` pending devices, shared fairly across active jobs. A rollout job gives
   * only devices of its current batch, and a rated job no more than the tokens of its bucket
   * (held on its row, so the rate holds across every dispatcher).
   */
  async claim(workerId: string, limit: number): Promise<ClaimedWork[]> {
    // While every active job is plain, one statement claims; once a job with rules is seen, the
    // transaction below decides for RULED_CLAIMS_MS before the statement is tried again.
    if (Date.now() >= this.ruledUntil) {
      const plain = await claimPlainWork(this.dataSource, workerId, limit, this.cursors.current(Date.now()));
      this.cursors.advance(plain.cursors, Date.now());
      if (!plain.ruled) return plain.claimed;
      this.ruledUntil = Date.now() + RULED_CLAIMS_MS;
    }
    const cursors = this.cursors.current(Date.now());
    const decided = await this.dataSource.transaction(async (tx) => {
      const ready = readyAfterCursor(`${S}.jobs.job_id`, cursorOf(`${S}.jobs.job_id`, 1, 2));
      // A rated job's row is taken for update to spend its tokens; one another claim holds is
      // skipped. Both kinds are read in one statement: a claim is a handful of round trips.
      const jobs = await queryRows<ClaimableJob & { rated: boolean }>(
        tx,
        `WITH rated AS (
           SELECT job_id, operations, rollout, windows, time_zones, targets_complete, targets_total, current_batch, paused_until, now() AS now,
             least(greatest(1, rate_per_minute / 60),
                   coalesce(tokens, 1) + extract(epoch FROM now() - coalesce(refilled_at, now())) * rate_per_minute / 60)::double precision AS tokens
           FROM ${S}.jobs
           WHERE state = 'active' AND operations IS NOT NULL AND finished_at IS NULL AND rate_per_minute IS NOT NULL AND ${ready}
           ORDER BY random() LIMIT 64
           FOR UPDATE SKIP LOCKED
         ), others AS (
           SELECT job_id, operations, rollout, windows, time_zones, targets_complete, targets_total, current_batch, paused_until, now() AS now,
             NULL::double precision AS tokens
           FROM ${S}.jobs
           WHERE state = 'active' AND operations IS NOT NULL AND finished_at IS NULL AND rate_per_minute IS NULL AND ${ready}
           ORDER BY random() LIMIT 64
           FOR SHARE
         )
         SELECT *, true AS rated FROM rated UNION ALL SELECT *, false AS rated FROM others`,
        [cursors.map((cursor) => cursor.jobId), cursors.map((cursor) => cursor.after)],
      );
      const rated = jobs.filter((job) => job.rated);
      const others = jobs.filter((job) => !job.rated);
      const active = [...rated, ...others];
      if (active.length === 0) return { units: [], cursors: [] };
      const perJob = Math.max(1, Math.ceil(limit / active.length));
      const windows = active.map((job) =>
        decideRolloutClaim({
          rollout: job.rollout ? normalizeRollout(job.rollout) : null,
          targetsComplete: job.targets_complete,
          targetsTotal: job.targets_total,
          currentBatch: job.current_batch,
          pausedUntil: job.paused_until?.toISOString() ?? null,
          windows: job.windows,
          timeZones: job.time_zones,
          tokens: job.tokens === null ? null : Number(job.tokens),
          fairShare: perJob,
          now: job.now.toISOString(),
        }),
      );
      const after = new Map(cursors.map((cursor) => [cursor.jobId, cursor.after]));
      // Each job's devices after its cursor first, then those before it (see `ClaimCursors`).
      const claimed = await queryRows<{ job_id: string; device_id: string; redrive: boolean; attempts: number; last: string }>(
        tx,
        `WITH picked AS (
           SELECT o.job_id, o.device_id
           FROM unnest($1::text[], $2::int[], $5::int[], $6::int[], $7::text[], $8::text[]) AS a(job_id, share, first, after_last, zones, after)
           CROSS JOIN LATERAL (
             SELECT * FROM (
               SELECT * FROM (
                 SELECT job_id, device_id FROM ${S}.operations
                 WHERE a.zones IS NULL AND job_id = a.job_id AND status = 'pending' AND (retry_at IS NULL OR retry_at <= now())
                   AND (a.first IS NULL OR (position >= a.first AND position < a.after_last)) AND device_id > a.after
                 ORDER BY device_id LIMIT a.share
                 FOR UPDATE SKIP LOCKED
               ) ahead
               UNION ALL
               SELECT * FROM (
                 SELECT job_id, device_id FROM ${S}.operations
                 WHERE a.zones IS NULL AND job_id = a.job_id AND status = 'pending' AND (retry_at IS NULL OR retry_at <= now())
                   AND (a.first IS NULL OR (position >= a.first AND position < a.after_last)) AND device_id <= a.after
                 ORDER BY device_id LIMIT a.share
                 FOR UPDATE SKIP LOCKED
               ) behind
               LIMIT a.share
             ) any_zone
             UNION ALL
             -- A job with device windows: its pending devices of each open zone, through that zone's index range.
             SELECT * FROM (
               SELECT z.job_id, z.device_id FROM unnest(string_to_array(a.zones, ',')) AS zone(name)
               CROSS JOIN LATERAL (
                 SELECT * FROM (
                   SELECT job_id, device_id FROM ${S}.operations
                   WHERE job_id = a.job_id AND time_zone = zone.name AND status = 'pending' AND (retry_at IS NULL OR retry_at <= now())
                     AND (a.first IS NULL OR (position >= a.first AND position < a.after_last)) AND device_id > a.after
                   ORDER BY device_id LIMIT a.share
                   FOR UPDATE SKIP LOCKED
                 ) ahead
                 UNION ALL
                 SELECT * FROM (
                   SELECT job_id, device_id FROM ${S}.operations
                   WHERE job_id = a.job_id AND time_zone = zone.name AND status = 'pending' AND (retry_at IS NULL OR retry_at <= now())
                     AND (a.first IS NULL OR (position >= a.first AND position < a.after_last)) AND device_id <= a.after
                   ORDER BY device_id LIMIT a.share
                   FOR UPDATE SKIP LOCKED
                 ) behind
                 LIMIT a.share
               ) z
               LIMIT a.share
             ) open_zones
           ) o
           LIMIT $3
         ), claimed AS (
           UPDATE ${S}.operations o SET status = 'in_flight', worker_id = $4, claimed_at = now(), retry_at = NULL
           FROM picked p WHERE o.job_id = p.job_id AND o.device_id = p.device_id
           RETURNING o.job_id, o.device_id, o.redrive, o.attempts
         )
         SELECT *, max(device_id) OVER (PARTITION BY job_id) AS last FROM claimed`,
        [
          active.map((job) => job.job_id),
          windows.map((window) => window.limit),
          limit,
          workerId,
          windows.map((window) => window.from),
          windows.map((window) => window.to),
          windows.map((window) => zonesParameter(window.zones)),
          active.map((job) => after.get(job.job_id) ?? ''),
        ],
      );
      const taken = new Map<string, number>();
      for (const row of claimed) taken.set(row.job_id, (taken.get(row.job_id) ?? 0) + 1);
      for (const job of rated) {
        await tx.query(
          `UPDATE ${S}.jobs SET tokens = $2::double precision - $3::int, refilled_at = now() WHERE job_id = $1`,
          [job.job_id, Number(job.tokens), taken.get(job.job_id) ?? 0],
        );
      }
      const jobsById = new Map(active.map((job) => [job.job_id, job]));
      const units = claimed.map((row): ClaimedWork => {
        const job = jobsById.get(row.job_id);
        const rollout = job?.rollout ? normalizeRollout(job.rollout) : null;
        return {
          jobId: row.job_id,
          deviceId: row.device_id,
          operations: job?.operations ?? [],
          redrive: row.redrive,
          attempts: row.attempts,
          ...(rollout ? { rollout } : {}),
        };
      });
      return { units, cursors: [...new Map(claimed.map((row) => [row.job_id, row.last]))].map(([jobId, last]) => ({ jobId, after: last })) };
    });
    this.cursors.advance(decided.cursors, Date.now());
    return decided.units;
  }
}

/** An active job's row, as a claim reads it. */
interface ClaimableJob {
  job_id: string;
  operations: JobOperation[];
  rollout: Rollout | null;
  windows: MaintenanceWindow[] | null;
  /** The distinct zones of its devices, for a job with `device` windows. */
  time_zones: string[] | null;
  targets_complete: boolean;
  targets_total: number | null;
  current_batch: number;
  paused_until: Date | null;
  now: Date;
  /** Whole and partial tokens available now; null for a job without a rate. */
  tokens: number | string | null;
}
