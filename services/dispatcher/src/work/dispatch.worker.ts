import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DISPATCHER_CONFIG, DispatcherConfig } from '../dispatcher.config';
import { dispatcherMetrics } from '../dispatcher.metrics';
import { DeviceOperationRunner, RunResult } from '../operations/device-operation.runner';
import { RolloutProgressRepository } from '../rollout/rollout-progress.repository';
import { DeviceOutcome, DeviceRelease } from './dispatch-events';
import { DispatchHousekeepingRepository } from './dispatch-housekeeping.repository';
import { DispatchClaimRepository } from './dispatch-claim.repository';
import { DispatchOutcomesRepository } from './dispatch-outcomes.repository';
import { SendMarks } from './send-marks';

const FLUSH_EVERY_MS = 100;
const MAX_IDLE_POLL_MS = 500;
const FLUSH_AT = 200;
/** A slot freed while others run waits this long at most for more slots to free, so that they are claimed together. */
export const CLAIM_GATHER_MS = 50;

/**
 * This process's share of the work: claims only as many devices as it has free slots, starts
 * each at once (so nothing claimed waits behind a stop), records outcomes in small batches, and
 * on shutdown lets what is in flight finish and be recorded. Slots freed one by one are claimed
 * together (a quarter of the slots, or after `CLAIM_GATHER_MS`): one claim, and one statement of
 * send marks, serve many devices.
 */
@Injectable()
export class DispatchWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly workerId = `worker-${randomUUID()}`;
  private readonly logger = new Logger(DispatchWorker.name);
  private readonly inFlight = new Set<Promise<void>>();
  private readonly pendingOutcomes: DeviceOutcome[] = [];
  private readonly pendingReleases: DeviceRelease[] = [];
  /** Jobs with a rollout among those claimed: only they keep counters and are judged after outcomes. */
  private readonly rolloutJobs = new Set<string>();
  /** Devices running in this process, per job. */
  private readonly runningByJob = new Map<string, number>();
  private readonly marks: SendMarks;
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  /** When a slot became free that no claim has filled yet; null while every slot is taken. */
  private freeSince: number | null = null;

  constructor(
    private readonly claims: DispatchClaimRepository,
    private readonly outcomes: DispatchOutcomesRepository,
    private readonly housekeeping: DispatchHousekeepingRepository,
    private readonly runner: DeviceOperationRunner,
    private readonly rollouts: RolloutProgressRepository,
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
  ) {
    this.marks = new SendMarks(runner.markStore, this.workerId);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.housekeeping.heartbeat(this.workerId);
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await Promise.all(this.inFlight);
    await this.flush();
    await this.housekeeping.forgetWorker(this.workerId).catch(() => undefined);
  }

  /** New work may be there (targets arrived). */
  wake(): void {
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    // Idle, the worker looks for work less and less often; local intake wakes it at once, and
    // work another dispatcher took in is found within MAX_IDLE_POLL_MS.
    let idle = this.config.idlePollMs;
    const gatherAt = Math.max(1, Math.ceil(this.config.concurrency / 4));
    while (this.running) {
      const free = this.config.concurrency - this.inFlight.size;
      if (free > 0) this.freeSince ??= Date.now();
      const gathering = free > 0 && free < gatherAt && this.inFlight.size > 0 ? this.freeSince! + CLAIM_GATHER_MS - Date.now() : 0;
      if (gathering > 0) {
        await this.pause(gathering);
        continue;
      }
      let claimed = 0;
      if (free > 0) {
        this.freeSince = null;
        try {
          const units = await this.claims.claim(this.workerId, free);
          claimed = units.length;
          for (const unit of units) {
            if (unit.rollout) this.rolloutJobs.add(unit.jobId);
            this.start(
              unit.jobId,
              this.runner.run(unit, this.marks).catch((error): RunResult => ({
                kind: 'outcome',
                outcome: { jobId: unit.jobId, deviceId: unit.deviceId, ok: false, error: `the operation could not be carried out: ${String(error)}` },
              })),
            );
          }
        } catch (error) {
          this.logger.warn(`claiming work failed: ${String(error)}`);
        }
      }
      if (claimed > 0 && claimed === free) continue;
      idle = claimed > 0 ? this.config.idlePollMs : Math.min(idle * 2, MAX_IDLE_POLL_MS);
      if (await this.pause(claimed > 0 ? 5 : idle)) idle = this.config.idlePollMs;
    }
  }

  private start(jobId: string, run: Promise<RunResult>): void {
    dispatcherMetrics.inFlight.inc();
    this.runningByJob.set(jobId, (this.runningByJob.get(jobId) ?? 0) + 1);
    const task: Promise<void> = run.then((result) => {
      const running = (this.runningByJob.get(jobId) ?? 1) - 1;
      if (running > 0) this.runningByJob.set(jobId, running);
      else this.runningByJob.delete(jobId);
      if (result.kind === 'lost') return;
      if (result.kind === 'outcome') this.pendingOutcomes.push(result.outcome);
      else this.pendingReleases.push(result.release);
      if (this.pendingOutcomes.length + this.pendingReleases.length >= FLUSH_AT) void this.flush();
      else this.flushTimer ??= setTimeout(() => void this.flush(), FLUSH_EVERY_MS);
    }).finally(() => {
      dispatcherMetrics.inFlight.dec();
      this.inFlight.delete(task);
      this.wake();
    });
    this.inFlight.add(task);
  }

  private flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.flushTimer) clearTimeout(this.flushTimer);
      this.flushTimer = null;
      const batch = this.pendingOutcomes.splice(0);
      const releases = this.pendingReleases.splice(0);
      if (batch.length === 0 && releases.length === 0) return;
      try {
        await this.outcomes.release(this.workerId, releases);
        const jobs = await this.outcomes.recordOutcomes(this.workerId, batch, this.rolloutJobs);
        // Rollout jobs judged after their outcomes: a halt here lets the job finish below.
        const judged = jobs.filter((jobId) => this.rolloutJobs.has(jobId));
        if (judged.length > 0) await this.rollouts.advance(judged);
        // A job with a device still running here cannot have ended: its probe waits for that device's
        // outcome (or, if that device's claim was taken over, for the sweeper).
        const probed = [...new Set([...jobs, ...releases.map((release) => release.jobId)])].filter((jobId) => !this.runningByJob.has(jobId));
        const finished = probed.length > 0 ? await this.housekeeping.finishJobs(probed) : [];
        this.runner.permits.forget(finished);
        for (const jobId of finished) this.rolloutJobs.delete(jobId);
      } catch (error) {
        this.logger.error(`recording ${batch.length} outcomes and ${releases.length} hand-backs failed, retrying: ${String(error)}`);
        this.pendingOutcomes.unshift(...batch);
        this.pendingReleases.unshift(...releases);
        this.flushTimer ??= setTimeout(() => void this.flush(), 1000);
      }
    });
    return this.flushing;
  }

  /** Resolves true when woken before `ms` passed. */
  private pause(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = null;
        resolve(false);
      }, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve(true);
      };
    });
  }
}
