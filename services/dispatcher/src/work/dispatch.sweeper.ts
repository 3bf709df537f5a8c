import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DISPATCHER_CONFIG, DispatcherConfig } from '../dispatcher.config';
import { dispatcherMetrics } from '../dispatcher.metrics';
import { DispatcherOutbox } from '../dispatcher.outbox';
import { DispatchWorker } from './dispatch.worker';
import { DispatchWorkRepository } from './dispatch-work.repository';

/**
 * Housekeeping on a timer: this worker's heartbeat, concluding operations orphaned by workers
 * that died, and finishing jobs whose last device was concluded elsewhere.
 */
@Injectable()
export class DispatchSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DispatchSweeper.name);
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> = Promise.resolve();

  constructor(
    private readonly work: DispatchWorkRepository,
    private readonly worker: DispatchWorker,
    private readonly outbox: DispatcherOutbox,
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.sweeping = this.sweep();
    this.timer = setInterval(() => {
      this.sweeping = this.sweeping.then(() => this.sweep());
    }, this.config.heartbeatMs);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sweeping;
  }

  /** One round; exposed so tests can drive it. */
  async sweep(): Promise<void> {
    try {
      await this.work.heartbeat(this.worker.workerId);
      const orphaned = await this.work.concludeOrphans(this.worker.workerId, this.config.orphanAfterMs);
      if (orphaned.length) {
        dispatcherMetrics.orphans.inc(orphaned.length);
        this.logger.warn(`concluded in-flight operations of stopped workers in ${orphaned.length} job(s)`);
      }
      const finished = await this.work.finishJobs(null);
      if (orphaned.length || finished) this.outbox.wake();
    } catch (error) {
      this.logger.warn(`sweep failed: ${String(error)}`);
    }
  }
}
