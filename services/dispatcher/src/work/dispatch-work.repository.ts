import { Inject, Injectable } from '@nestjs/common';
import { deviceTimeZone, EventEnvelope, FailureKind, JobOperation, MaintenanceWindow, Rollout, TOPICS } from '@fleetjobs/contracts';
import { queryRows, SqlExecutor, UNIT_OF_WORK, UnitOfWork } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { classifyFailure, normalizeRollout } from '@fleetjobs/rollout';
import { DataSource } from 'typeorm';
import { dispatcherMetrics } from '../dispatcher.metrics';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';
import { recordRateSignals } from '../rollout/rate-signals.repository';
import { decideRolloutClaim, startRatePerMinute } from '../rollout/rollout-claim.decider';
import { addJobTimeZones, BY_DEVICE_ZONE, zonesParameter } from '../windows/device-zones.store';
import { ClaimCursors } from './claim-cursors';
import { claimPlainWork, cursorOf, readyAfterCursor } from './dispatch-claim.statement';
import { recordPlainOutcomes } from './dispatch-outcomes.statement';
import { ClaimedWork, DeviceOutcome, DeviceRelease, outcomeEnvelope } from './dispatch-events';

export const ORPHAN_ERROR =
  'outcome unknown: the dispatcher running this command stopped after sending it and before recording its result; it was not retried, so that it never runs twice';

/** Delay before a device handed back after a failure is tried again, growing with its attempts. */
const RETRY_BACKOFF_MS = 1000;

/** How long claims go through the transaction after a job with rules was seen. */
const RULED_CLAIMS_MS = 2000;

/** Devices per targets chunk (device-set's `JobTargetsResolved`): chunk n starts at index n × this. */
export const TARGETS_CHUNK_SIZE = 500;

/**
 * The work table every dispatcher process shares. Claims, halts and outcomes are single SQL
 * statements whose locks order them: a halt waits for claims in progress, and no claim
 * commits for a halted job.
 */
@Injectable()
export class DispatchWorkRepository {
  /** Until then claims decide jobs' rules in a transaction: one with a rollout, a rate or windows was active. */
  private ruledUntil = 0;
  /** Where this process's plain claims look first in each job. */
  private readonly cursors = new ClaimCursors();

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
  ) {}

  /** `windows`: the job's maintenance windows; its devices are claimed only inside one. */
  async registerJob(tx: SqlExecutor, jobId: string, operations: JobOperation[], rollout?: Rollout, windows?: MaintenanceWindow[]): Promise<void> {
    const windowsJson = windows && windows.length > 0 ? JSON.stringify(windows) : null;
    if (!rollout) {
      await tx.query(
        `INSERT INTO ${S}.jobs (job_id, operations, windows) VALUES ($1, $2::jsonb, $3::jsonb)
         ON CONFLICT (job_id) DO UPDATE SET operations = EXCLUDED.operations, windows = EXCLUDED.windows WHERE ${S}.jobs.operations IS NULL`,
        [jobId, JSON.stringify(operations), windowsJson],
      );
      return;
    }
    await tx.query(
      `INSERT INTO ${S}.jobs (job_id, operations, rollout, rate_per_minute, windows) VALUES ($1, $2::jsonb, $3::jsonb, $4, $5::jsonb)
       ON CONFLICT (job_id) DO UPDATE SET operations = EXCLUDED.operations, rollout = EXCLUDED.rollout,
         rate_per_minute = EXCLUDED.rate_per_minute, windows = EXCLUDED.windows
       WHERE ${S}.jobs.operations IS NULL`,
      [jobId, JSON.stringify(operations), JSON.stringify(rollout), startRatePerMinute(normalizeRollout(rollout)), windowsJson],
    );
  }

  /**
   * `chunk`: the number of the targets' chunk, which gives each device its index in the job.
   * `timeZoneTags`: each device's `timezone` tag, if any; kept only for a job with `device` windows.
   */
  async addTargets(tx: SqlExecutor, jobId: string, deviceIds: string[], chunk: number, timeZoneTags: readonly (string | undefined)[] = []): Promise<void> {
    if (deviceIds.length === 0) return;
    await tx.query(`INSERT INTO ${S}.jobs (job_id) VALUES ($1) ON CONFLICT DO NOTHING`, [jobId]);
    const zones = deviceIds.map((_, index) => deviceTimeZone(timeZoneTags[index]));
    await tx.query(
      `INSERT INTO ${S}.operations (job_id, device_id, position, time_zone)
       SELECT $1, d.device_id, $3::int * ${TARGETS_CHUNK_SIZE} + d.n - 1, CASE WHEN ${BY_DEVICE_ZONE} THEN d.zone END
       FROM unnest($2::text[], $4::text[]) WITH ORDINALITY AS d(device_id, zone, n)
       LEFT JOIN ${S}.jobs j ON j.job_id = $1
       ON CONFLICT DO NOTHING`,
      [jobId, deviceIds, chunk, zones],
    );
    await addJobTimeZones(tx, jobId, zones);
  }

  async completeTargets(tx: SqlExecutor, jobId: string, total: number): Promise<void> {
    await tx.query(
      `INSERT INTO ${S}.jobs (job_id, targets_complete, targets_total) VALUES ($1, true, $2)
       ON CONFLICT (job_id) DO UPDATE SET targets_complete = true, targets_total = $2`,
      [jobId, total],
    );
  }

  /**
   * Targeting failed part-way: what arrived is all the job will ever have, and none of it may
   * start any more. Halted with its targets complete, the job finishes once nothing is in flight.
   */
  async abandonTargets(tx: SqlExecutor, jobId: string): Promise<void> {
    await this.halt(tx, jobId);
    await tx.query(`UPDATE ${S}.jobs SET targets_complete = true WHERE job_id = $1`, [jobId]);
  }

  /** After this commits, no claim of the job's operations can commit on any process. */
  async halt(executor: SqlExecutor, jobId: string): Promise<void> {
    await executor.query(
      `INSERT INTO ${S}.jobs (job_id, state) VALUES ($1, 'halted')
       ON CONFLICT (job_id) DO UPDATE SET state = 'halted' WHERE ${S}.jobs.state IN ('active', 'paused')`,
      [jobId],
    );
  }

  /**
   * No process claims the job's devices until it is resumed. Only claiming stops here: the
   * permits in job_control are what keep a claim made before from sending.
   */
  async pause(executor: SqlExecutor, jobId: string): Promise<void> {
    await executor.query(
      `INSERT INTO ${S}.jobs (job_id, state) VALUES ($1, 'paused')
       ON CONFLICT (job_id) DO UPDATE SET state = 'paused' WHERE ${S}.jobs.state = 'active'`,
      [jobId],
    );
  }

  async resume(executor: SqlExecutor, jobId: string): Promise<void> {
    await executor.query(`UPDATE ${S}.jobs SET state = 'active' WHERE job_id = $1 AND state = 'paused'`, [jobId]);
  }

  /** Hands claimed devices back to pending (see `DeviceRelease`); halted jobs are halted here too. */
  async release(workerId: string, releases: DeviceRelease[]): Promise<void> {
    if (releases.length === 0) return;
    await this.dataSource.transaction(async (tx) => {
      await tx.query(
        `UPDATE ${S}.operations o SET status = 'pending', worker_id = NULL, claimed_at = NULL,
           redrive = o.redrive OR v.redrive,
           sent_at = CASE WHEN o.redrive OR v.redrive THEN o.sent_at ELSE NULL END,
           attempts = o.attempts + CASE WHEN v.counted THEN 1 ELSE 0 END,
           error = v.error,
           retry_at = CASE WHEN v.delay_ms IS NOT NULL THEN now() + make_interval(secs => v.delay_ms / 1000)
                           WHEN v.error IS NULL THEN NULL
                           ELSE now() + make_interval(secs => $4::double precision / 1000 * power(2, o.attempts)) END
         FROM (SELECT unnest($1::text[]) AS job_id, unnest($2::text[]) AS device_id,
                      unnest($5::boolean[]) AS redrive, unnest($6::text[]) AS error, unnest($7::boolean[]) AS counted,
                      unnest($8::double precision[]) AS delay_ms) v
         WHERE o.job_id = v.job_id AND o.device_id = v.device_id AND o.status = 'in_flight' AND o.worker_id = $3`,
        [
          releases.map((release) => release.jobId),
          releases.map((release) => release.deviceId),
          workerId,
          RETRY_BACKOFF_MS,
          releases.map((release) => release.redrive),
          releases.map((release) => release.error),
          releases.map((release) => release.counted),
          releases.map((release) => release.delayMs ?? null),
        ],
      );
      await recordRateSignals(tx, [], releases);
      for (const jobId of new Set(releases.filter((release) => release.halted).map((release) => release.jobId))) {
        await this.halt(tx, jobId);
      }
    });
  }

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

  /**
   * Records outcomes still held by this worker and publishes them; returns the jobs touched.
   * `rolloutJobs`: the jobs among them that have a rollout, when the caller knows (only those
   * keep counters); absent, every job is looked at.
   */
  async recordOutcomes(workerId: string, outcomes: DeviceOutcome[], rolloutJobs?: ReadonlySet<string>): Promise<string[]> {
    if (outcomes.length === 0) return [];
    if (rolloutJobs && !outcomes.some((outcome) => rolloutJobs.has(outcome.jobId))) {
      // No counters to keep: the update and its events are one statement.
      const recorded = await recordPlainOutcomes(this.uow, workerId, outcomes);
      countOutcomes(recorded);
      return [...new Set(recorded.map((row) => row.job_id))];
    }
    let concluded: { status: string; failure_kind: string | null }[] = [];
    const jobs = await this.uow.run(async (tx) => {
      const recorded = await queryRows<{ job_id: string; device_id: string; status: string; error: string | null; failure_kind: string | null; attempts: number }>(
        tx.manager,
        `UPDATE ${S}.operations o SET status = v.status, error = v.error, failure_kind = v.kind, done_at = now()
         FROM (SELECT unnest($1::text[]) AS job_id, unnest($2::text[]) AS device_id,
                      unnest($3::text[]) AS status, unnest($4::text[]) AS error, unnest($6::text[]) AS kind) v
         WHERE o.job_id = v.job_id AND o.device_id = v.device_id AND o.status = 'in_flight' AND o.worker_id = $5
         RETURNING o.job_id, o.device_id, o.status, o.error, o.failure_kind, o.attempts + 1 AS attempts`,
        [
          outcomes.map((outcome) => outcome.jobId),
          outcomes.map((outcome) => outcome.deviceId),
          outcomes.map((outcome) => (outcome.ok ? 'completed' : 'failed')),
          outcomes.map((outcome) => outcome.error),
          workerId,
          outcomes.map((outcome) => (outcome.ok ? null : classifyFailure(outcome.error ?? 'failed'))),
        ],
      );
      const counted = rolloutJobs ? recorded.filter((row) => rolloutJobs.has(row.job_id)) : recorded;
      await countRolloutOutcomes(tx.manager, counted);
      const held = new Map(outcomes.map((outcome) => [workKey(outcome.jobId, outcome.deviceId), outcome]));
      await recordRateSignals(tx.manager, counted.flatMap((row) => {
        const outcome = held.get(workKey(row.job_id, row.device_id));
        return outcome ? [{ outcome, kind: row.failure_kind as FailureKind | null }] : [];
      }));
      await tx.publish(TOPICS.jobs, outcomeEnvelopes(recorded));
      concluded = recorded;
      return [...new Set(recorded.map((row) => row.job_id))];
    });
    countOutcomes(concluded);
    return jobs;
  }
}

/** Counted once committed: a transaction tried again would count its outcomes twice. */
function countOutcomes(recorded: { status: string; failure_kind: string | null }[]): void {
  for (const row of recorded) dispatcherMetrics.outcomes.inc({ result: row.status === 'completed' ? 'succeeded' : 'failed', kind: row.failure_kind ?? 'none' });
}

/** Keeps the running counts of rollout jobs, which their abort rules and ramps read. */
export async function countRolloutOutcomes(tx: SqlExecutor, recorded: { job_id: string; status: string; failure_kind?: string | null }[]): Promise<void> {
  if (recorded.length === 0) return;
  await tx.query(
    `WITH v AS (SELECT unnest($1::text[]) AS job_id, unnest($2::text[]) AS status, unnest($3::text[]) AS kind),
     kinds AS (SELECT job_id, kind, count(*) AS n FROM v WHERE status = 'failed' GROUP BY job_id, kind),
     totals AS (
       SELECT v.job_id, count(*) FILTER (WHERE v.status = 'completed') AS completed, count(*) FILTER (WHERE v.status = 'failed') AS failed
       FROM v GROUP BY v.job_id
     )
     UPDATE ${S}.jobs j SET completed_count = j.completed_count + totals.completed, failed_count = j.failed_count + totals.failed,
       failed_by_kind = (
         SELECT coalesce(jsonb_object_agg(key, value), '{}'::jsonb) FROM (
           SELECT key, sum(value)::int AS value FROM (
             SELECT key, value::int AS value FROM jsonb_each_text(j.failed_by_kind)
             UNION ALL SELECT kinds.kind, kinds.n::int FROM kinds WHERE kinds.job_id = j.job_id
           ) parts GROUP BY key
         ) merged
       )
     FROM totals WHERE j.job_id = totals.job_id AND j.rollout IS NOT NULL`,
    [recorded.map((row) => row.job_id), recorded.map((row) => row.status), recorded.map((row) => row.failure_kind ?? null)],
  );
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

/** The published facts of recorded outcomes; ids derive from job and device, so a repeat is the same fact. */
export function outcomeEnvelopes(rows: { job_id: string; device_id: string; status: string; error: string | null; attempts?: number }[]): EventEnvelope[] {
  const now = new Date().toISOString();
  return rows.map((row) =>
    outcomeEnvelope({ jobId: row.job_id, deviceId: row.device_id, ok: row.status === 'completed', error: row.error, attempts: row.attempts }, now),
  );
}

/** The key of one device of one job, for sets of claims. */
export function workKey(jobId: string, deviceId: string): string {
  return `${jobId}\u0000${deviceId}`;
}
