import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DISPATCHER_CONFIG, DispatcherConfig } from '../dispatcher.config';
import { dispatcherMetrics } from '../dispatcher.metrics';
import { RolloutProgressRepository } from '../rollout/rollout-progress.repository';
import { DispatchWorker } from './dispatch.worker';
import { DispatchHousekeepingRepository } from './dispatch-housekeeping.repository';

/**
 * Housekeeping on a timer: this worker's heartbeat, the claims of workers that died, and
 * finishing jobs whose last device was concluded elsewhere.
 */
@Injectable()
export class DispatchSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DispatchSweeper.name);
  private timer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> = Promise.resolve();
  private beating: Promise<void> = Promise.resolve();
  /** Since when this worker's heartbeats have kept succeeding; null after a failed one. */
  private healthySince: number | null = null;

  constructor(
    private readonly housekeeping: DispatchHousekeepingRepository,
    private readonly worker: DispatchWorker,
    private readonly rollouts: RolloutProgressRepository,
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
  ) {}

  onApplicationBootstrap(): void {
    // The heartbeat has its own timer: a slow sweep must not make a live worker look dead.
    this.beating = this.beat();
    this.heartbeatTimer = setInterval(() => {
      this.beating = this.beating.then(() => this.beat());
    }, this.config.heartbeatMs);
    this.sweeping = this.beating.then(() => this.sweep());
    this.timer = setInterval(() => {
      this.sweeping = this.sweeping.then(() => this.sweep());
    }, this.config.heartbeatMs);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    await this.sweeping;
    await this.beating;
  }

  private async beat(): Promise<void> {
    try {
      await this.housekeeping.heartbeat(this.worker.workerId);
      this.healthySince ??= Date.now();
    } catch (error) {
      this.healthySince = null;
      this.logger.warn(`heartbeat failed: ${String(error)}`);
    }
  }

  /** One round; exposed so tests can drive it. */
  async sweep(): Promise<void> {
    if (this.healthySince === null) return;
    try {
      // After an outage of the database, the other workers need time to be heard of again:
      // until then their silence says nothing about whether they are alive.
      if (Date.now() - this.healthySince >= this.config.orphanAfterMs) {
        const orphans = await this.housekeeping.concludeOrphans(this.worker.workerId, this.config.orphanAfterMs);
        const touched = orphans.requeued.length + orphans.concluded.length;
        if (touched) {
          dispatcherMetrics.orphans.inc(touched);
          this.logger.warn(
            `took back the claims of stopped workers: ${orphans.requeued.length} job(s) with devices to run again, ${orphans.concluded.length} with commands of unknown outcome`,
          );
          this.worker.wake();
        }
      }
      // Pauses between batches end on this timer, when no outcome arrives to move the job on.
      await this.rollouts.advance(null);
      await this.housekeeping.finishJobs(null);
    } catch (error) {
      this.logger.warn(`sweep failed: ${String(error)}`);
    }
  }
}
