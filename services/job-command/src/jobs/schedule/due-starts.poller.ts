import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { awaitsApproval, awaitsStart, decide } from '../job.decider';
import { JobStreamExecutor } from '../job-stream.executor';
import { dueStartsStore } from './due-starts.store';

/** How often due starts are looked for: a scheduled job starts at most this late. */
const POLL_EVERY_MS = 500;
const STARTS_PER_ROUND = 100;
/** A due job still awaiting approval is looked at again this much later (its approval starts it). */
const AWAITING_APPROVAL_RECHECK_MS = 10_000;

/**
 * Starts scheduled jobs whose time has come. Each start is decided on the job's stream and its
 * row removed in the same transaction; any number of processes may poll at once, since the
 * decider starts a job once and a concurrent append makes the loser decide again on fresh state.
 */
@Injectable()
export class DueStartsPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DueStartsPoller.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private busy = false;

  constructor(
    private readonly executor: JobStreamExecutor,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), POLL_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Decides every start due at `now`; answers how many jobs were started. */
  async startDue(now: Date = new Date()): Promise<number> {
    let started = 0;
    for (const jobId of await dueStartsStore.due(this.dataSource, now, STARTS_PER_ROUND)) {
      try {
        const decision = await this.executor.execute(
          jobId,
          (state) => decide({ type: 'ReachStart', jobId, now: now.toISOString() }, state),
          { correlationId: jobId },
          async (tx, { state }) => {
            if (!awaitsStart(state)) return dueStartsStore.done(tx, jobId);
            if (awaitsApproval(state)) return dueStartsStore.later(tx, jobId, new Date(now.getTime() + AWAITING_APPROVAL_RECHECK_MS));
          },
        );
        started += decision.events.length > 0 ? 1 : 0;
      } catch (error) {
        // Nothing of it committed (a recurring schedule's next run is created in the same transaction): it is tried again next round, and the others start meanwhile.
        this.logger.warn(`starting scheduled job ${jobId} failed: ${String(error)}`);
      }
    }
    return started;
  }

  private tick(): void {
    if (this.busy) return;
    this.busy = true;
    this.running = this.startDue()
      .catch((error: unknown) => this.logger.warn(`starting scheduled jobs failed: ${String(error)}`))
      .finally(() => {
        this.busy = false;
      });
  }
}
