import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Rollout, TOPICS } from '@fleetjobs/contracts';
import { JobControlStore, queryRows, SqlExecutor, UNIT_OF_WORK, UnitOfWork, UnitOfWorkContext } from '@fleetjobs/persistence-pg';
import { normalizeRollout, NormalizedRollout, planBatches } from '@fleetjobs/rollout';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { JOB_CONTROL_DATA_SOURCE } from '../dispatcher.config';
import { dispatcherMetrics, readRolloutRatesWith } from '../dispatcher.metrics';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';
import { rolloutProgressedEnvelope } from './rollout-events';
import { decideRolloutProgress, FailuresByKind, RolloutProgress } from './rollout-progress.decider';
import { RateCause } from './rollout-rate.decider';
import { BatchFigures, decideReport, ProgressSnapshot, progressSnapshots } from './rollout-report.decider';

interface RolloutJobRow {
  job_id: string;
  rollout: Rollout;
  state: 'active' | 'paused' | 'halted';
  targets_complete: boolean;
  targets_total: number | null;
  current_batch: number;
  paused_until: Date | null;
  rate_per_minute: number | null;
  rate_reason: string | null;
  completed_count: number;
  failed_count: number;
  failed_by_kind: FailuresByKind;
  signal_since: Date | null;
  signal_outcomes: number;
  signal_failed: number;
  signal_throttled: number;
  signal_latency_ms: number;
  signal_timed: number;
  progress_sequence: number;
  progress_published: ProgressSnapshot | null;
  progress_published_at: Date | null;
  in_flight: boolean;
  now: Date;
}

const iso = (value: Date | null) => value?.toISOString() ?? null;

/**
 * Moves rollout jobs on after outcomes were recorded (and on the sweeper's timer, for pauses and
 * rate windows): trips abort rules and success gates, starts the next batch, sets the rate, and
 * publishes the job's progress when it changed. Each job is judged in its own transaction
 * holding its row, so two dispatchers never judge one job at once.
 */
@Injectable()
export class RolloutProgressRepository implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RolloutProgressRepository.name);
  private readonly control = new JobControlStore();

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(JOB_CONTROL_DATA_SOURCE) private readonly jobControl: DataSource,
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
  ) {}

  onModuleInit(): void {
    readRolloutRatesWith(() =>
      queryRows<{ job_id: string; rate_per_minute: number }>(
        this.dataSource,
        `SELECT job_id, rate_per_minute FROM ${S}.jobs WHERE rollout IS NOT NULL AND rate_per_minute IS NOT NULL AND finished_at IS NULL`,
      ).then((rows) => rows.map((row) => ({ jobId: row.job_id, ratePerMinute: Number(row.rate_per_minute) }))),
    );
  }

  onModuleDestroy(): void {
    readRolloutRatesWith(null);
  }

  /** Judges the given jobs (every unfinished rollout job when null); answers the jobs halted. */
  async advance(jobIds: string[] | null): Promise<string[]> {
    const candidates = await queryRows<{ job_id: string }>(
      this.dataSource,
      `SELECT job_id FROM ${S}.jobs
       WHERE rollout IS NOT NULL AND finished_at IS NULL AND ($1::text[] IS NULL OR job_id = ANY($1::text[]))`,
      [jobIds],
    );
    const halted: string[] = [];
    for (const { job_id: jobId } of candidates) {
      try {
        if (await this.advanceOne(jobId)) halted.push(jobId);
      } catch (error) {
        this.logger.warn(`judging the rollout of job ${jobId} failed: ${String(error)}`);
      }
    }
    await this.haltEverywhere(jobIds);
    return halted;
  }

  /**
   * Halts in job-command's table the aborted jobs still unfinished, so that no dispatcher gets a
   * permit to send for them any more. It follows the local halt, which carries the reason; after
   * a crash in between, the next round does it. Halting twice keeps the first reason.
   */
  private async haltEverywhere(jobIds: string[] | null): Promise<void> {
    const aborted = await queryRows<{ job_id: string; abort_reason: string }>(
      this.dataSource,
      `SELECT job_id, abort_reason FROM ${S}.jobs
       WHERE abort_reason IS NOT NULL AND finished_at IS NULL AND ($1::text[] IS NULL OR job_id = ANY($1::text[]))`,
      [jobIds],
    );
    for (const job of aborted) {
      try {
        await this.control.halt(this.jobControl, job.job_id, job.abort_reason);
      } catch (error) {
        this.logger.warn(`halting job ${job.job_id} for every dispatcher failed, trying again on the next round: ${String(error)}`);
      }
    }
  }

  /** Judges an active job and reports the progress of any unfinished one; answers whether it halted the job. */
  private async advanceOne(jobId: string): Promise<boolean> {
    const outcome = await this.uow.run(async (tx) => {
      const [row] = await queryRows<RolloutJobRow>(
        tx.manager,
        `SELECT j.*, now() AS now,
           EXISTS (SELECT 1 FROM ${S}.operations o WHERE o.job_id = j.job_id AND o.status = 'in_flight') AS in_flight
         FROM ${S}.jobs j WHERE j.job_id = $1 AND j.rollout IS NOT NULL AND j.finished_at IS NULL
         FOR UPDATE OF j`,
        [jobId],
      );
      if (!row) return null;
      const rollout = normalizeRollout(row.rollout);
      const batch = await this.batchCounts(tx.manager, row, rollout.batches);
      const progress = row.state === 'active' ? this.judge(row, rollout, batch) : null;
      if (progress?.kind === 'halt') {
        // No claim of the job commits from here on; `haltEverywhere` then refuses every permit.
        await tx.manager.query(`UPDATE ${S}.jobs SET state = 'halted', abort_reason = coalesce(abort_reason, $2) WHERE job_id = $1`, [
          jobId,
          progress.reason,
        ]);
        this.logger.log(`job ${jobId} halted: ${progress.reason}`);
      } else if (progress?.kind === 'carry-on') {
        await this.carryOn(tx.manager, row, progress);
      }
      await this.report(tx, row, rollout, batch, progress);
      return { halted: progress?.kind === 'halt', rate: progress?.kind === 'carry-on' ? progress.rate : null, before: row.rate_per_minute };
    });
    if (outcome?.rate?.cause && outcome.rate.ratePerMinute !== outcome.before) {
      dispatcherMetrics.rolloutRateChanges.inc({ reason: outcome.rate.cause satisfies RateCause });
    }
    return outcome?.halted ?? false;
  }

  private judge(row: RolloutJobRow, rollout: NormalizedRollout, batch: Awaited<ReturnType<RolloutProgressRepository['batchCounts']>>): RolloutProgress {
    return decideRolloutProgress({
      rollout,
      targetsComplete: row.targets_complete,
      targetsTotal: row.targets_total,
      currentBatch: row.current_batch,
      pausedUntil: iso(row.paused_until),
      ratePerMinute: row.rate_per_minute,
      rateReason: row.rate_reason,
      signals: {
        since: iso(row.signal_since),
        outcomes: row.signal_outcomes,
        failed: row.signal_failed,
        throttled: row.signal_throttled,
        latencyMsSum: Number(row.signal_latency_ms),
        timed: row.signal_timed,
      },
      job: {
        executed: row.completed_count + row.failed_count,
        completed: row.completed_count,
        failed: row.failed_count,
        byKind: row.failed_by_kind,
      },
      batch,
      now: row.now.toISOString(),
    });
  }

  private async carryOn(tx: SqlExecutor, row: RolloutJobRow, progress: Extract<RolloutProgress, { kind: 'carry-on' }>): Promise<void> {
    // A new rate applies from now: the tokens earned so far at the old rate are kept.
    await tx.query(
      `UPDATE ${S}.jobs SET current_batch = $2, paused_until = $3,
         tokens = CASE WHEN rate_per_minute IS DISTINCT FROM $4::double precision AND refilled_at IS NOT NULL
                       THEN least(greatest(1, rate_per_minute / 60), tokens + extract(epoch FROM now() - refilled_at) * rate_per_minute / 60)
                       ELSE tokens END,
         refilled_at = CASE WHEN rate_per_minute IS DISTINCT FROM $4::double precision AND refilled_at IS NOT NULL THEN now() ELSE refilled_at END,
         rate_per_minute = $4, rate_reason = $5
       WHERE job_id = $1`,
      [row.job_id, progress.currentBatch, progress.pausedUntil, progress.ratePerMinute, progress.rate.reason],
    );
    if (progress.rate.newWindow) {
      await tx.query(
        `UPDATE ${S}.jobs SET signal_since = now(), signal_outcomes = 0, signal_failed = 0, signal_throttled = 0,
           signal_latency_ms = 0, signal_timed = 0
         WHERE job_id = $1`,
        [row.job_id],
      );
    }
  }

  /** Publishes the job's progress after the round, when `decideReport` says it changed enough. */
  private async report(
    tx: UnitOfWorkContext,
    row: RolloutJobRow,
    rollout: NormalizedRollout,
    batch: Awaited<ReturnType<RolloutProgressRepository['batchCounts']>>,
    progress: RolloutProgress | null,
  ): Promise<void> {
    const plan = row.targets_complete && row.targets_total !== null ? planBatches(row.targets_total, rollout.batches) : null;
    const batchCount = plan?.count ?? 0;
    const judgedIndex = plan ? Math.min(row.current_batch, Math.max(0, plan.count - 1)) : 0;
    const judged: BatchFigures = {
      index: judgedIndex,
      size: plan && plan.count > 0 ? plan.batch(judgedIndex).size : (row.targets_total ?? 0),
      completed: batch?.completed ?? (rollout.batches ? 0 : row.completed_count),
      failed: batch?.failed ?? (rollout.batches ? 0 : row.failed_count),
    };
    const carried = progress?.kind === 'carry-on' ? progress : null;
    const currentBatch = carried?.currentBatch ?? row.current_batch;
    const snapshots = progressSnapshots({
      judged,
      batchCount,
      currentBatch,
      currentBatchSize: plan && currentBatch < plan.count ? plan.batch(currentBatch).size : 0,
      gateFailed: progress?.kind === 'halt' && progress.cause === 'gate',
      halted: row.state === 'halted',
      published: row.progress_published?.batch ?? null,
      successGate: rollout.successGate,
      ratePerMinute: carried ? carried.ratePerMinute : row.rate_per_minute,
      rateReason: carried ? carried.rate.reason : row.rate_reason,
      pausedUntil: carried ? carried.pausedUntil : iso(row.paused_until),
    });
    let published = row.progress_published;
    let publishedAt = iso(row.progress_published_at);
    let sequence = row.progress_sequence;
    const now = row.now.toISOString();
    for (const snapshot of snapshots) {
      if (!decideReport({ next: snapshot, published, publishedAt, settled: !row.in_flight, now })) continue;
      sequence += 1;
      await tx.publish(TOPICS.jobs, [rolloutProgressedEnvelope(row.job_id, sequence, snapshot, now)]);
      published = snapshot;
      publishedAt = now;
    }
    if (sequence === row.progress_sequence) return;
    await tx.manager.query(
      `UPDATE ${S}.jobs SET progress_sequence = $2, progress_published = $3::jsonb, progress_published_at = $4 WHERE job_id = $1`,
      [row.job_id, sequence, JSON.stringify(published), publishedAt],
    );
  }

  private async batchCounts(tx: SqlExecutor, row: RolloutJobRow, batches: NormalizedRollout['batches']) {
    if (!batches || !row.targets_complete || row.targets_total === null) return null;
    const plan = planBatches(row.targets_total, batches);
    if (row.current_batch >= plan.count) return null;
    const { start, end } = plan.batch(row.current_batch);
    const kinds = await queryRows<{ status: string; failure_kind: string | null; count: string }>(
      tx,
      `SELECT status, failure_kind, count(*) AS count FROM ${S}.operations
       WHERE job_id = $1 AND position >= $2 AND position < $3 AND status IN ('completed', 'failed')
       GROUP BY status, failure_kind`,
      [row.job_id, start, end],
    );
    const byKind: FailuresByKind = {};
    let completed = 0;
    let failed = 0;
    for (const entry of kinds) {
      const count = Number(entry.count);
      if (entry.status === 'completed') completed += count;
      else {
        failed += count;
        const kind = (entry.failure_kind ?? 'hub') as keyof FailuresByKind;
        byKind[kind] = (byKind[kind] ?? 0) + count;
      }
    }
    return { executed: completed + failed, completed, failed, byKind };
  }
}
