import type { OperationType } from '@fleetjobs/contracts';
import { NormalizedRollout, planBatches, RampController } from '@fleetjobs/rollout';

/** How long an adaptive rate watches a job before it adds its step (the dispatcher's window). */
export const ADAPTIVE_WINDOW_SECONDS = 2;

/**
 * Hub requests one device costs per operation, at least: a setting is a desired-property patch
 * and a read of its acknowledgement; a property is a twin read (the value it replaces is kept,
 * for a revert) and a twin patch; a command one direct method.
 */
const REQUESTS_PER_OPERATION: Record<OperationType, number> = { setting: 2, property: 2, command: 1 };

export interface EtaInput {
  devices: number;
  operations: readonly { type: OperationType }[];
  rollout: NormalizedRollout;
  /** Requests per second the hub may receive from the whole deployment; 0: no limit. */
  hubRatePerSecond: number;
}

/** What paces the job: its rollout rate, the hub's rate limit, or nothing (devices answer as fast as they can). */
export type EtaLimit = 'rollout' | 'hub' | 'none';

export interface JobEta {
  /** Seconds from start to the last device's operations sent, pauses included; devices' own answer time is not. */
  seconds: number;
  /** Seconds the pacing (rollout rate, hub limit) takes to reach every device. */
  sendingSeconds: number;
  /** Seconds spent in the pauses between batches. */
  pauseSeconds: number;
  batches: number;
  requestsPerDevice: number;
  /** The fastest the job reaches devices, in devices per minute; null when nothing paces it. */
  peakDevicesPerMinute: number | null;
  limitedBy: EtaLimit;
}

/**
 * The time a job takes under its rollout and the hub's rate limit, assuming every device succeeds
 * (a ramp follows the successes; an adaptive rate adds its step every healthy window): the devices
 * are reached at the lower of the rollout's rate and the hub's rate in devices (requests per
 * device counted), and every batch after the first waits `pauseBetweenSeconds`. Pure.
 */
export function estimateEta(input: EtaInput): JobEta {
  const devices = Math.max(0, Math.floor(input.devices));
  const requestsPerDevice = Math.max(
    1,
    input.operations.reduce((sum, operation) => sum + REQUESTS_PER_OPERATION[operation.type], 0),
  );
  const hubPerMinute = input.hubRatePerSecond > 0 ? (input.hubRatePerSecond * 60) / requestsPerDevice : Infinity;
  const batches = planBatches(devices, input.rollout.batches).count;
  const pauseSeconds = Math.max(0, batches - 1) * input.rollout.pauseBetweenSeconds;
  const sending = sendingTime(devices, input.rollout, hubPerMinute);
  const sendingSeconds = round(sending.seconds);
  return {
    seconds: round(sendingSeconds + pauseSeconds),
    sendingSeconds,
    pauseSeconds: round(pauseSeconds),
    batches,
    requestsPerDevice,
    peakDevicesPerMinute: Number.isFinite(sending.peakPerMinute) ? round(sending.peakPerMinute) : null,
    limitedBy: sending.limitedBy,
  };
}

interface Sending {
  seconds: number;
  peakPerMinute: number;
  limitedBy: EtaLimit;
}

function sendingTime(devices: number, rollout: NormalizedRollout, hubPerMinute: number): Sending {
  const rate = rollout.rate;
  const hubLimits = (rolloutPerMinute: number): EtaLimit => (hubPerMinute < rolloutPerMinute ? 'hub' : 'rollout');
  if (!rate) {
    if (!Number.isFinite(hubPerMinute)) return { seconds: 0, peakPerMinute: Infinity, limitedBy: 'none' };
    return { seconds: (devices * 60) / hubPerMinute, peakPerMinute: hubPerMinute, limitedBy: 'hub' };
  }
  if (rate.mode === 'fixed') {
    const cap = Math.min(rate.perMinute, hubPerMinute);
    if (!rate.ramp) return { seconds: (devices * 60) / cap, peakPerMinute: cap, limitedBy: hubLimits(rate.perMinute) };
    return { seconds: rampSeconds(devices, new RampController(rate.ramp, rate.perMinute), rate.ramp.afterSuccesses, cap), peakPerMinute: cap, limitedBy: hubLimits(rate.perMinute) };
  }
  const cap = Math.min(rate.maxPerMinute, hubPerMinute);
  return {
    seconds: additiveSeconds(devices, Math.min(rate.startPerMinute, cap), rate.stepPerMinute, cap),
    peakPerMinute: cap,
    limitedBy: hubLimits(rate.maxPerMinute),
  };
}

/** A ramp: `afterSuccesses` devices at each step's rate (never above `cap`), then the rest at the cap. */
function rampSeconds(devices: number, ramp: RampController, afterSuccesses: number, cap: number): number {
  let seconds = 0;
  let done = 0;
  while (done < devices) {
    const perMinute = Math.min(cap, ramp.rateAfter(done));
    const step = perMinute >= cap ? devices - done : Math.min(afterSuccesses, devices - done);
    seconds += (step * 60) / perMinute;
    done += step;
  }
  return seconds;
}

/**
 * An additive increase: `start` per minute for the first window, `step` more each window after,
 * up to `cap`. In closed form: k windows reach `W/60 · (k·start + step·k(k−1)/2)` devices.
 */
function additiveSeconds(devices: number, start: number, step: number, cap: number): number {
  if (devices === 0) return 0;
  const w = ADAPTIVE_WINDOW_SECONDS;
  const reached = (k: number) => (w / 60) * (k * start + (step * k * (k - 1)) / 2);
  const windowsToCap = start >= cap ? 0 : Math.ceil((cap - start) / step);
  if (reached(windowsToCap) >= devices) {
    // Solve (w/60)·(step/2·k² + (start − step/2)·k) = devices for the (fractional) windows k.
    const a = step / 2;
    const b = start - step / 2;
    const c = -(devices * 60) / w;
    const k = a === 0 ? -c / b : (-b + Math.sqrt(b * b - 4 * a * c)) / (2 * a);
    return k * w;
  }
  return windowsToCap * w + ((devices - reached(windowsToCap)) * 60) / cap;
}

const round = (seconds: number) => Math.ceil(seconds * 10) / 10;
