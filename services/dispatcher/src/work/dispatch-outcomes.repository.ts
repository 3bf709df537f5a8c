import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope, FailureKind, TOPICS } from '@fleetjobs/contracts';
import { queryPrepared, SqlExecutor, UNIT_OF_WORK, UnitOfWork } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { classifyFailure } from '@fleetjobs/rollout';
import { DataSource } from 'typeorm';
import { dispatcherMetrics } from '../dispatcher.metrics';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';
import { recordRateSignals } from '../rollout/rate-signals.repository';
import { DeviceOutcome, DeviceRelease, outcomeEnvelope, workKey } from './dispatch-events';
import { haltJob } from './dispatch-intake.repository';
import { recordPlainOutcomes } from './dispatch-outcomes.statement';

export const ORPHAN_ERROR =
  'outcome unknown: the dispatcher running this command stopped after sending it and before recording its result; it was not retried, so that it never runs twice';

/** Delay before a device handed back after a failure is tried again, growing with its attempts. */
const RETRY_BACKOFF_MS = 1000;

/**
 * What became of claimed devices in the work table every dispatcher process shares: outcomes
 * recorded and published, or devices handed back. Only rows this worker still holds change.
 */
@Injectable()
export class DispatchOutcomesRepository {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
  ) {}

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
        await haltJob(tx, jobId);
      }
    });
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
      const recorded = await queryPrepared<{ job_id: string; device_id: string; status: string; error: string | null; failure_kind: string | null; attempts: number }>(
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

/** The published facts of recorded outcomes; ids derive from job and device, so a repeat is the same fact. */
export function outcomeEnvelopes(rows: { job_id: string; device_id: string; status: string; error: string | null; attempts?: number }[]): EventEnvelope[] {
  const now = new Date().toISOString();
  return rows.map((row) =>
    outcomeEnvelope({ jobId: row.job_id, deviceId: row.device_id, ok: row.status === 'completed', error: row.error, attempts: row.attempts }, now),
  );
}
