import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { queryRows } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { JOB_RETENTION_DAYS, PROJECTION_SCHEMA as S } from '../projection.tokens';

const SWEEP_EVERY_MS = 60 * 60 * 1000;
/** Jobs deleted per transaction, so that one sweep never holds many rows locked at once. */
const JOBS_PER_ROUND = 100;
/**
 * Placeholders that never got their `JobCreated`, and remembered device deletions, are kept at
 * least this long whatever the job retention, since they matter while events are still arriving.
 */
const MIN_BOOKKEEPING_DAYS = 1;

/**
 * Deletes jobs (and their device rows) that ended more than the retention ago, once at start
 * and then every hour. Replicas may sweep at the same time: rows are claimed with SKIP LOCKED.
 */
@Injectable()
export class JobRetentionSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobRetentionSweeper.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(JOB_RETENTION_DAYS) private readonly retentionDays: number,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
    this.timer = setInterval(() => this.schedule(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Runs one sweep now; answers how many jobs it deleted. */
  async sweep(): Promise<number> {
    let deleted = 0;
    for (;;) {
      const round = await this.dataSource.transaction(async (tx) => {
        const rows = await queryRows<{ id: string }>(
          tx,
          `SELECT id FROM ${S}.jobs
            WHERE ended_at < now() - make_interval(days => $1::int)
               OR (created_at IS NULL AND updated_at < now() - make_interval(days => $2::int))
            LIMIT $3 FOR UPDATE SKIP LOCKED`,
          [this.retentionDays, Math.max(this.retentionDays, MIN_BOOKKEEPING_DAYS), JOBS_PER_ROUND],
        );
        const ids = rows.map((row) => row.id);
        if (ids.length === 0) return 0;
        await tx.query(`DELETE FROM ${S}.job_devices WHERE job_id = ANY($1::text[])`, [ids]);
        await tx.query(`DELETE FROM ${S}.job_status_changes WHERE job_id = ANY($1::text[])`, [ids]);
        await tx.query(`DELETE FROM ${S}.job_rollout_batches WHERE job_id = ANY($1::text[])`, [ids]);
        await tx.query(`DELETE FROM ${S}.job_rollout_progress WHERE job_id = ANY($1::text[])`, [ids]);
        await tx.query(`DELETE FROM ${S}.jobs WHERE id = ANY($1::text[])`, [ids]);
        return ids.length;
      });
      deleted += round;
      if (round < JOBS_PER_ROUND) break;
    }
    await this.dataSource.query(`DELETE FROM ${S}.deleted_devices WHERE deleted_at < now() - make_interval(days => $1::int)`, [
      Math.max(this.retentionDays, MIN_BOOKKEEPING_DAYS),
    ]);
    return deleted;
  }

  private schedule(): void {
    this.running = this.running
      .then(() => this.sweep())
      .then((deleted) => {
        if (deleted > 0) this.logger.log(`deleted ${deleted} jobs ended more than ${this.retentionDays} days ago`);
      })
      .catch((error: unknown) => this.logger.warn(`retention sweep failed: ${String(error)}`));
  }
}
