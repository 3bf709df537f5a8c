import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DISPATCHER_CONFIG, DispatcherConfig } from '../dispatcher.config';
import { DispatchRetentionRepository, RetentionSweep } from './dispatch-retention.repository';

const SWEEP_EVERY_MS = 60 * 60 * 1000;

/**
 * Drops the work rows and previous values of jobs that ended more than `JOB_RETENTION_DAYS` ago,
 * once at start and then every hour, as the projection drops their history. Replicas may sweep
 * at the same time: each takes the jobs the others have not locked.
 */
@Injectable()
export class DispatchRetentionSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DispatchRetentionSweeper.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly retention: DispatchRetentionRepository,
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
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

  /** Runs one sweep now. */
  sweep(): Promise<RetentionSweep> {
    return this.retention.dropEnded(this.config.jobRetentionDays);
  }

  private schedule(): void {
    this.running = this.running
      .then(() => this.sweep())
      .then((swept) => {
        if (swept.rows > 0) {
          this.logger.log(`dropped ${swept.rows} work rows and previous values of ${swept.jobs} jobs ended more than ${this.config.jobRetentionDays} days ago`);
        }
      })
      .catch((error: unknown) => this.logger.warn(`retention sweep failed: ${String(error)}`));
  }
}
