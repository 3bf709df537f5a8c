import { Inject, Injectable, Logger } from '@nestjs/common';
import { Rollout } from '@fleetjobs/contracts';
import { JobControlStore, queryRows, SqlExecutor } from '@fleetjobs/persistence-pg';
import { normalizeRollout, planBatches } from '@fleetjobs/rollout';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { JOB_CONTROL_DATA_SOURCE } from '../dispatcher.config';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';
import { decideRolloutProgress, FailuresByKind } from './rollout-progress.decider';

interface RolloutJobRow {
  job_id: string;
  rollout: Rollout;
  targets_complete: boolean;
  targets_total: number | null;
  current_batch: number;
  paused_until: Date | null;
  rate_per_minute: number | null;
  completed_count: number;
  failed_count: number;
  failed_by_kind: FailuresByKind;
  now: Date;
}

/**
 * Moves rollout jobs on after outcomes were recorded (and on the sweeper's timer, for pauses):
 * trips abort rules and success gates, starts the next batch, ramps the rate. Each job is judged
 * in its own transaction holding its row, so two dispatchers never judge one job at once.
 */
@Injectable()
export class RolloutProgressRepository {
  private readonly logger = new Logger(RolloutProgressRepository.name);
  private readonly control = new JobControlStore();

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(JOB_CONTROL_DATA_SOURCE) private readonly jobControl: DataSource,
  ) {}

  /** Judges the given jobs (every unfinished rollout job when null); answers the jobs halted. */
  async advance(jobIds: string[] | null): Promise<string[]> {
    const candidates = await queryRows<{ job_id: string }>(
      this.dataSource,
      `SELECT job_id FROM ${S}.jobs
       WHERE rollout IS NOT NULL AND state = 'active' AND finished_at IS NULL AND ($1::text[] IS NULL OR job_id = ANY($1::text[]))`,
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

  private advanceOne(jobId: string): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      const [row] = await queryRows<RolloutJobRow>(
        tx,
        `SELECT job_id, rollout, targets_complete, targets_total, current_batch, paused_until, rate_per_minute,
                completed_count, failed_count, failed_by_kind, now() AS now
         FROM ${S}.jobs WHERE job_id = $1 AND rollout IS NOT NULL AND state = 'active' AND finished_at IS NULL
         FOR UPDATE`,
        [jobId],
      );
      if (!row) return false;
      const rollout = normalizeRollout(row.rollout);
      const batch = await this.batchCounts(tx, row, rollout.batches);
      const progress = decideRolloutProgress({
        rollout,
        targetsComplete: row.targets_complete,
        targetsTotal: row.targets_total,
        currentBatch: row.current_batch,
        pausedUntil: row.paused_until?.toISOString() ?? null,
        ratePerMinute: row.rate_per_minute,
        job: {
          executed: row.completed_count + row.failed_count,
          completed: row.completed_count,
          failed: row.failed_count,
          byKind: row.failed_by_kind,
        },
        batch,
        now: row.now.toISOString(),
      });
      if (progress.kind === 'halt') {
        // No claim of the job commits from here on; `haltEverywhere` then refuses every permit.
        await tx.query(`UPDATE ${S}.jobs SET state = 'halted', abort_reason = coalesce(abort_reason, $2) WHERE job_id = $1`, [
          jobId,
          progress.reason,
        ]);
        this.logger.log(`job ${jobId} halted: ${progress.reason}`);
        return true;
      }
      // A new rate applies from now: the tokens earned so far at the old rate are kept.
      await tx.query(
        `UPDATE ${S}.jobs SET current_batch = $2, paused_until = $3,
           tokens = CASE WHEN rate_per_minute IS DISTINCT FROM $4::double precision AND refilled_at IS NOT NULL
                         THEN least(greatest(1, rate_per_minute / 60), tokens + extract(epoch FROM now() - refilled_at) * rate_per_minute / 60)
                         ELSE tokens END,
           refilled_at = CASE WHEN rate_per_minute IS DISTINCT FROM $4::double precision AND refilled_at IS NOT NULL THEN now() ELSE refilled_at END,
           rate_per_minute = $4
         WHERE job_id = $1`,
        [jobId, progress.currentBatch, progress.pausedUntil, progress.ratePerMinute],
      );
      return false;
    });
  }

  private async batchCounts(
    tx: SqlExecutor,
    row: RolloutJobRow,
    batches: ReturnType<typeof normalizeRollout>['batches'],
  ) {
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
