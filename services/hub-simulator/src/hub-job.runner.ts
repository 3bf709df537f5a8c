import { parseDeviceQuery } from './device-query.parser';
import { HubJobRecord } from './hub-job.document';
import { JobDeviceOperation, RunnableJob } from './hub-job-device.operation';
import { JobDevicePacer } from './hub-job.pacer';
import { simulatorLogger } from './simulator-logger';
import { SimulatorTimers } from './simulator-timers';
import { DeviceJobOutcome, HubJobStore } from './store/hub-job.store';
import { isJsonObject, TwinPatch } from './twin-document';

/** Devices claimed from the store at once when unthrottled; throttled, about a second's worth. */
const MAX_CLAIM = 256;
/** Device operations of one job in flight at once (direct methods wait for their device). */
const MAX_IN_FLIGHT = 256;

type StopReason = 'cancelled' | 'expired' | 'stopping';

interface RunningJob {
  cancelled: boolean;
  cancel(): void;
  /** Resolves when the job is cancelled: ends its waits early. */
  cancelledSignal: Promise<void>;
  done: Promise<void>;
}

/**
 * Runs the hub's jobs: waits for a job's start time, takes the devices its condition selects then,
 * and runs its operation on each, at the hub's job-device rate for all jobs together. A cancel
 * holds at once: no device operation starts after `cancel` returned; those already started end
 * and keep their results, the devices not reached are marked cancelled and never touched.
 */
export class HubJobRunner {
  private readonly running = new Map<string, RunningJob>();

  constructor(
    private readonly store: HubJobStore,
    private readonly operation: JobDeviceOperation,
    private readonly pacer: JobDevicePacer,
    private readonly timers: SimulatorTimers,
  ) {}

  start(job: HubJobRecord): void {
    if (this.running.has(job.jobId)) return;
    let cancel!: () => void;
    const cancelledSignal = new Promise<void>((resolve) => (cancel = resolve));
    const state: RunningJob = {
      cancelled: false,
      cancel: () => {
        state.cancelled = true;
        cancel();
      },
      cancelledSignal,
      done: Promise.resolve(),
    };
    this.running.set(job.jobId, state);
    state.done = this.run(job, state)
      .catch((error: unknown) => {
        if (!this.timers.isStopped) simulatorLogger.error({ err: error, jobId: job.jobId }, 'hub job failed');
      })
      .finally(() => this.running.delete(job.jobId));
  }

  /** Stops starting the job's device operations; `false` when this runner does not run it. */
  cancel(jobId: string): boolean {
    const state = this.running.get(jobId);
    if (!state) return false;
    state.cancel();
    return true;
  }

  /** Carries on with the jobs that were active when the simulator last stopped. */
  async recover(): Promise<void> {
    for (const jobId of await this.store.activeJobIds()) {
      // An operation under way when the hub stopped has no known result.
      await this.store.endDevices(jobId, ['running'], 'failed', { code: 'ServerError', description: 'the hub restarted during the operation' });
      const job = await this.store.get(jobId);
      if (job) this.start(job);
    }
  }

  /** Resolves once every job has stopped (after the timers were stopped). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.running.values()].map((state) => state.done));
  }

  private async run(job: HubJobRecord, state: RunningJob): Promise<void> {
    const deadlineMs = job.startTime.getTime() + job.maxExecutionSeconds * 1000;
    const untilStart = job.startTime.getTime() - Date.now();
    if ((job.status === 'queued' || job.status === 'scheduled') && untilStart > 0) {
      if (job.status === 'queued') await this.store.setStatus(job.jobId, 'scheduled');
      await this.waitOrCancel(untilStart, state);
    }
    const stopReason = (): StopReason | null =>
      this.timers.isStopped ? 'stopping' : state.cancelled ? 'cancelled' : Date.now() >= deadlineMs ? 'expired' : null;
    const runnable = runnableOf(job);
    if (!stopReason()) {
      await this.store.startRunning(job.jobId, { query: parseDeviceQuery(`SELECT * FROM devices WHERE ${job.queryCondition}`) });
    }
    const inFlight = new Set<Promise<void>>();
    let results: DeviceJobOutcome[] = [];
    const flush = async (): Promise<void> => {
      const batch = results;
      results = [];
      await this.store.recordOutcomes(job.jobId, batch);
    };
    claiming: while (!stopReason()) {
      const rate = this.pacer.rate;
      const deviceIds = await this.store.claim(job.jobId, rate ? Math.max(1, Math.min(MAX_CLAIM, Math.ceil(rate))) : MAX_CLAIM);
      if (deviceIds.length === 0) break;
      for (const [index, deviceId] of deviceIds.entries()) {
        while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
        const waitMs = stopReason() ? 0 : this.pacer.take(Date.now());
        if (waitMs > 0) await this.waitOrCancel(waitMs, state);
        const reason = stopReason();
        if (reason) {
          // Claimed but not reached: never touched (a stopping hub hands them back for its restart).
          if (reason === 'stopping') await this.store.release(job.jobId, deviceIds.slice(index));
          else for (const unreached of deviceIds.slice(index)) results.push(notReached(unreached, reason));
          break claiming;
        }
        const operation: Promise<void> = this.operation
          .run(runnable, deviceId)
          .then(
            (outcome) => void results.push(outcome),
            (error: unknown) => void results.push(failedOn(deviceId, error)),
          )
          .finally(() => inFlight.delete(operation));
        inFlight.add(operation);
      }
      if (results.length > 0) await flush();
    }
    await Promise.allSettled([...inFlight]);
    await flush();
    await this.finish(job, stopReason());
  }

  private async finish(job: HubJobRecord, reason: StopReason | null): Promise<void> {
    if (reason === 'stopping') return;
    if (reason === 'cancelled') {
      await this.store.setStatus(job.jobId, 'cancelled', { end: true });
      await this.store.endDevices(job.jobId, ['pending'], 'cancelled', null);
    } else if (reason === 'expired') {
      await this.store.endDevices(job.jobId, ['pending'], 'cancelled', { code: 'JobExpired', description: 'the job ran out of time' });
      await this.store.setStatus(job.jobId, 'failed', { end: true, failureReason: `the job did not end within ${job.maxExecutionSeconds} s` });
    } else {
      await this.store.setStatus(job.jobId, 'completed', { end: true });
    }
  }

  private async waitOrCancel(ms: number, state: RunningJob): Promise<void> {
    await Promise.race([this.timers.wait(ms), state.cancelledSignal]);
  }
}

function runnableOf(job: HubJobRecord): RunnableJob {
  const update = job.updateTwin;
  const properties = update && isJsonObject(update['properties']) ? update['properties'] : undefined;
  const patch: TwinPatch | null = update
    ? {
        ...(isJsonObject(update['tags']) ? { tags: update['tags'] } : {}),
        ...(properties && isJsonObject(properties['desired']) ? { desired: properties['desired'] } : {}),
      }
    : null;
  return { jobId: job.jobId, patch, method: job.method };
}

function notReached(deviceId: string, reason: StopReason): DeviceJobOutcome {
  return {
    deviceId,
    status: 'cancelled',
    startTime: null,
    endTime: new Date(),
    outcome: null,
    error: reason === 'expired' ? { code: 'JobExpired', description: 'the job ran out of time' } : null,
  };
}

function failedOn(deviceId: string, error: unknown): DeviceJobOutcome {
  return {
    deviceId,
    status: 'failed',
    startTime: null,
    endTime: new Date(),
    outcome: null,
    error: { code: 'ServerError', description: error instanceof Error ? error.message : String(error) },
  };
}
