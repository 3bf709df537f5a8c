import type { DeviceGateway, HubDevice } from '@fleetjobs/device-gateway';
import { deviceSetMetrics } from '../device-set.metrics';
import { HubSyncConfig } from './hub-sync.config';
import { classifyHubFailure, transientBackoffMs } from './hub-failure.classifier';

/** Why devices were given up on: the hub refused them, or kept failing for the whole retry window. */
export type GiveUpCause = 'refused' | 'retries-exhausted';

export interface CallsResult {
  done: string[];
  failed: { deviceId: string; cause: GiveUpCause; reason: string }[];
}

type Failed = { ok: false; cause: GiveUpCause; reason: string };
type Attempt = { ok: true } | Failed;

/** Ends a wait early because the process is stopping; the work is handed back undone. */
export class HubSyncStopped extends Error {
  /** Consumers retry the batch later without counting it against the message. */
  readonly transient = true;

  constructor() {
    super('the hub sync is stopping');
  }
}

/** Sleeps that a stopping process can cut short. */
export interface Pauses {
  pause(ms: number): Promise<void>;
}

/**
 * Registry calls with bounded, classified retries: throttling and transient failures are tried
 * again until the call's retry window closes, a refusal is not. A failed call of several devices
 * is split in halves until the devices that fail are alone, so that the others still reach the hub.
 * Once a call has failed for its whole window without throttling (the hub is down), later calls
 * are tried once each until one succeeds, so that an outage costs one window, not one per call.
 */
export class HubRegistryCalls {
  private hubDown = false;

  constructor(
    private readonly gateway: DeviceGateway,
    private readonly config: HubSyncConfig,
    private readonly pauses: Pauses,
    private readonly now: () => number = Date.now,
  ) {}

  upsert(devices: HubDevice[]): Promise<CallsResult> {
    const ids = devices.map((device) => device.deviceId);
    return this.bounded(ids, (subset) => {
      const wanted = new Set(subset);
      return this.gateway.upsertDevices(devices.filter((device) => wanted.has(device.deviceId)));
    });
  }

  delete(deviceIds: string[]): Promise<CallsResult> {
    return this.bounded(deviceIds, (subset) => this.gateway.deleteDevices(subset));
  }

  private async bounded(ids: string[], call: (ids: string[]) => Promise<void>): Promise<CallsResult> {
    const retrying = !this.hubDown;
    const deadline = retrying ? this.now() + this.config.retryWindowMs : this.now();
    const attempt = await this.attempt(() => call(ids), deadline);
    return attempt.ok ? { done: ids, failed: [] } : this.isolate(ids, attempt, call, deadline, retrying);
  }

  /**
   * After a failed call, tries each half once more (within what is left of the window) and goes on
   * with the halves that fail, so that a device the hub refuses, or that alone keeps failing, does
   * not take the others down with it. When both halves fail without a refusal, the hub itself is
   * failing: splitting further would only multiply calls.
   */
  private async isolate(
    ids: string[],
    failure: Failed,
    call: (ids: string[]) => Promise<void>,
    deadline: number,
    splitFailing: boolean,
  ): Promise<CallsResult> {
    const failedAll = (reason: Failed): CallsResult => ({
      done: [],
      failed: ids.map((deviceId) => ({ deviceId, cause: reason.cause, reason: reason.reason })),
    });
    if (ids.length === 1 || (failure.cause !== 'refused' && !splitFailing)) return failedAll(failure);
    const half = Math.ceil(ids.length / 2);
    const halves = [ids.slice(0, half), ids.slice(half)];
    const attempts: Attempt[] = [];
    for (const part of halves) attempts.push(await this.attempt(() => call(part), deadline));
    if (attempts.every((attempt) => !attempt.ok && attempt.cause !== 'refused') && failure.cause !== 'refused') return failedAll(failure);
    const result: CallsResult = { done: [], failed: [] };
    for (const [index, attempt] of attempts.entries()) {
      const part = attempt.ok ? { done: halves[index], failed: [] } : await this.isolate(halves[index], attempt, call, deadline, splitFailing);
      result.done.push(...part.done);
      result.failed.push(...part.failed);
    }
    return result;
  }

  /** Calls at least once, and again while the failure is worth waiting out and the deadline allows. */
  private async attempt(call: () => Promise<void>, deadline: number): Promise<Attempt> {
    for (let attempt = 1; ; attempt++) {
      try {
        await call();
        this.hubDown = false;
        return { ok: true };
      } catch (error) {
        const failure = classifyHubFailure(error);
        if (failure.kind === 'refused') return { ok: false, cause: 'refused', reason: failure.reason };
        if (failure.kind === 'throttled') deviceSetMetrics.hubThrottled.inc();
        const wait =
          failure.kind === 'throttled'
            ? Math.min(Math.max(failure.retryAfterMs, 10), this.config.maxThrottleWaitMs)
            : transientBackoffMs(attempt, this.config.initialBackoffMs, this.config.maxBackoffMs);
        const left = deadline - this.now();
        if (left <= 0) {
          if (failure.kind === 'transient') this.hubDown = true;
          return { ok: false, cause: 'retries-exhausted', reason: failure.reason };
        }
        await this.pauses.pause(Math.min(wait, left));
      }
    }
  }
}
