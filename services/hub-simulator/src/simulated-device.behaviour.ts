/**
 * How a simulated device behaves, read from its twin tag `simulator`:
 * `{"online": false}`, `{"latencyMs": 200}`, `{"failCommands": ["reboot"] | "*"}`, `{"rejectSettings": true}`,
 * `{"twinWriteLatencyMs": 5000}` (the hub holds its answer to a desired-properties patch that long).
 * Anything missing or malformed falls back to the default: online, fast, everything succeeds.
 */
export interface SimulatedDeviceBehaviour {
  online: boolean;
  latencyMs: number;
  failCommands: '*' | readonly string[];
  rejectSettings: boolean;
  twinWriteLatencyMs: number;
}

export const DEFAULT_BEHAVIOUR: SimulatedDeviceBehaviour = Object.freeze({
  online: true,
  latencyMs: 0,
  failCommands: Object.freeze([]) as readonly string[],
  rejectSettings: false,
  twinWriteLatencyMs: 0,
});

/** A device cannot be slower than this; it keeps pending acknowledgements and method calls bounded. */
export const MAX_LATENCY_MS = 3_600_000;

export function behaviourFromTags(tags: unknown): SimulatedDeviceBehaviour {
  const simulator = isRecord(tags) ? tags['simulator'] : undefined;
  if (!isRecord(simulator)) return DEFAULT_BEHAVIOUR;
  const { online, latencyMs, failCommands, rejectSettings, twinWriteLatencyMs } = simulator;
  return {
    online: typeof online === 'boolean' ? online : DEFAULT_BEHAVIOUR.online,
    latencyMs: boundedLatency(latencyMs),
    failCommands:
      failCommands === '*'
        ? '*'
        : Array.isArray(failCommands)
          ? failCommands.filter((name): name is string => typeof name === 'string')
          : DEFAULT_BEHAVIOUR.failCommands,
    rejectSettings: rejectSettings === true,
    twinWriteLatencyMs: boundedLatency(twinWriteLatencyMs),
  };
}

function boundedLatency(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(MAX_LATENCY_MS, Math.max(0, Math.round(value))) : 0;
}

/**
 * How long the hub holds its answer to a twin patch: a patch of desired properties waits out the
 * device's `twinWriteLatencyMs` (a hung twin write, already applied); a patch of tags alone, as
 * the registry sync sends, is answered at once.
 */
export function twinWriteAnswerDelayMs(behaviour: SimulatedDeviceBehaviour, patch: { desired?: unknown }): number {
  return patch.desired === undefined ? 0 : behaviour.twinWriteLatencyMs;
}

export type ConnectionState = 'Connected' | 'Disconnected';

export function connectionStateOf(behaviour: SimulatedDeviceBehaviour): ConnectionState {
  return behaviour.online ? 'Connected' : 'Disconnected';
}

/** What the device does with a desired property it receives. */
export type SettingReaction =
  | { kind: 'ignore' }
  | { kind: 'acknowledge'; delayMs: number; ack: SettingAck };

/** The `ac`/`ad` pair of a writable-property acknowledgement (IoT Plug and Play convention). */
export interface SettingAck {
  ac: number;
  ad: string;
}

export function settingAckOf(behaviour: SimulatedDeviceBehaviour): SettingAck {
  return behaviour.rejectSettings ? { ac: 400, ad: 'rejected by device' } : { ac: 200, ad: 'completed' };
}

export function reactToSetting(behaviour: SimulatedDeviceBehaviour): SettingReaction {
  if (!behaviour.online) return { kind: 'ignore' };
  return { kind: 'acknowledge', delayMs: behaviour.latencyMs, ack: settingAckOf(behaviour) };
}

/**
 * Desired properties the device acknowledges after a twin update: every key the update wrote
 * and, when the update brought the device back online, every key it had not yet acknowledged.
 */
export function settingsToAcknowledge(
  before: SimulatedDeviceBehaviour,
  after: SimulatedDeviceBehaviour,
  writtenKeys: readonly string[],
  unacknowledgedKeys: readonly string[],
): string[] {
  if (!after.online) return [];
  const keys = new Set(writtenKeys);
  if (!before.online) unacknowledgedKeys.forEach((key) => keys.add(key));
  return [...keys].sort();
}

export interface MethodTimeouts {
  responseTimeoutMs: number;
  connectTimeoutMs: number;
}

/** What the hub answers to a direct method call, and after how long. */
export type MethodReaction =
  | { kind: 'device-not-online'; afterMs: number }
  | { kind: 'timed-out'; afterMs: number }
  | { kind: 'device-answered'; afterMs: number; status: number; payload: unknown };

export function reactToMethod(
  behaviour: SimulatedDeviceBehaviour,
  methodName: string,
  timeouts: MethodTimeouts,
): MethodReaction {
  if (!behaviour.online) return { kind: 'device-not-online', afterMs: timeouts.connectTimeoutMs };
  if (behaviour.latencyMs > timeouts.responseTimeoutMs) {
    return { kind: 'timed-out', afterMs: timeouts.responseTimeoutMs };
  }
  const fails = behaviour.failCommands === '*' || behaviour.failCommands.includes(methodName);
  return fails
    ? { kind: 'device-answered', afterMs: behaviour.latencyMs, status: 500, payload: { error: `${methodName} failed on the device` } }
    : { kind: 'device-answered', afterMs: behaviour.latencyMs, status: 200, payload: { result: 'ok' } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
