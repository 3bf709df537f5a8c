import type { DeviceGateway, HubDevice } from '@fleetjobs/device-gateway';
import { HubSyncConfig } from './hub-sync.config';
import { classifyHubFailure, transientBackoffMs } from './hub-failure.classifier';

/** Why devices were given up on: the hub refused them, or kept failing for the whole retry window. */
export type GiveUpCause = 'refused' | 'retries-exhausted';

export interface CallsResult {
  done: string[];
  failed: { deviceId: string; cause: GiveUpCause; reason: string }[];
}

type Attempt = { ok: true } | { ok: false; cause: GiveUpCause; reason: string };

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
 */
export class HubRegistryCalls {
  constructor(
    private readonly gateway: DeviceGateway,
    private readonly config: HubSyncConfig,
    private readonly pauses: Pauses,
    private readonly now: () => number = Date.now,
  ) {}

  upsert(devices: HubDevice[]): Promise<CallsResult> {
    return this.split(
      devices.map((device) => device.deviceId),
      (ids) => {
        const wanted = new Set(ids);
        return this.gateway.upsertDevices(devices.filter((device) => wanted.has(device.deviceId)));
      },
      this.now() + this.config.retryWindowMs,
    );
  }

  delete(deviceIds: string[]): Promise<CallsResult> {
    return this.split(deviceIds, (ids) => this.gateway.deleteDevices(ids), this.now() + this.config.retryWindowMs);
  }

  private async split(ids: string[], call: (ids: string[]) => Promise<void>, deadline: number): Promise<CallsResult> {
    const attempt = await this.attempt(() => call(ids), deadline);
    if (attempt.ok) return { done: ids, failed: [] };
    // Once the retry window is closed each half is tried once: a hub that is down costs a few
    // quick failures, a device that alone keeps failing no longer takes the others down with it.
    if (ids.length > 1) {
      const half = Math.ceil(ids.length / 2);
      const first = await this.split(ids.slice(0, half), call, deadline);
      const second = await this.split(ids.slice(half), call, deadline);
      return { done: [...first.done, ...second.done], failed: [...first.failed, ...second.failed] };
    }
    return { done: [], failed: ids.map((deviceId) => ({ deviceId, cause: attempt.cause, reason: attempt.reason })) };
  }

  /** Calls at least once, and again while the failure is worth waiting out and the deadline allows. */
  private async attempt(call: () => Promise<void>, deadline: number): Promise<Attempt> {
    for (let attempt = 1; ; attempt++) {
      try {
        await call();
        return { ok: true };
      } catch (error) {
        const failure = classifyHubFailure(error);
        if (failure.kind === 'refused') return { ok: false, cause: 'refused', reason: failure.reason };
        const wait =
          failure.kind === 'throttled'
            ? Math.min(Math.max(failure.retryAfterMs, 10), this.config.maxThrottleWaitMs)
            : transientBackoffMs(attempt, this.config.initialBackoffMs, this.config.maxBackoffMs);
        const left = deadline - this.now();
        if (left <= 0) return { ok: false, cause: 'retries-exhausted', reason: failure.reason };
        await this.pauses.pause(Math.min(wait, left));
      }
    }
  }
}
