import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { awaitsRelease, decide } from '../job.decider';
import { JobStreamExecutor } from '../job-stream.executor';
import type { QueuedPeer } from '../create-job/job-conflict.policy';
import { activeJobsStore } from '../active-jobs/active-jobs.store';
import { releasableJobs } from './job-queue.policy';
import { jobQueueStore } from './job-queue.store';

/** How often the queue is looked at: a queued job starts at most this long after the last job it waited for ends. */
const POLL_EVERY_MS = 1000;

/**
 * Releases queued jobs whose every waited-for job has ended. Each release is decided on the job's
 * stream and its waits removed in the same transaction; the decider releases a job once, after its
 * approval and scheduled start, and never one that was stopped meanwhile, so any number of
 * processes may look at once.
 */
@Injectable()
export class JobQueuePoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobQueuePoller.name);
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

  /** Releases every queued job that may start now; answers the ids released. */
  async releaseDue(): Promise<string[]> {
    const released: string[] = [];
    for (const jobId of releasableJobs(await jobQueueStore.waits(this.dataSource))) {
      const decision = await this.executor.execute(
        jobId,
        (state) => decide({ type: 'ReleaseJob', jobId, now: new Date().toISOString() }, state),
        { correlationId: jobId },
        // Still awaiting its approval or its start: its waits stay, and it is released after them.
        async (tx, { state }) => (awaitsRelease(state) ? undefined : jobQueueStore.remove(tx, jobId)),
      );
      if (decision.events.length > 0) released.push(jobId);
    }
    return released;
  }

  /** Which of these jobs are still active (pending, running, paused) as job-command decided. */
  activeAmong(jobIds: readonly string[]): Promise<Set<string>> {
    return activeJobsStore.activeAmong(this.dataSource, jobIds);
  }

  /** The jobs already queued behind any of these jobs, with what they wait for and what they write. */
  async queuedBehind(jobIds: readonly string[]): Promise<QueuedPeer[]> {
    const peers: QueuedPeer[] = [];
    for (const { jobId, waitsFor } of await jobQueueStore.queuedBehind(this.dataSource, jobIds)) {
      const state = await this.executor.load(jobId);
      if (state.status !== 'none' && awaitsRelease(state)) peers.push({ jobId, waitsFor, operations: state.definition.operations });
    }
    return peers;
  }

  private tick(): void {
    if (this.busy) return;
    this.busy = true;
    this.running = this.releaseDue()
      .catch((error: unknown) => this.logger.warn(`releasing queued jobs failed: ${String(error)}`))
      .finally(() => {
        this.busy = false;
      });
  }
}
