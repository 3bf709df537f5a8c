/** DI token of the `DeviceGateway`: how Fleetjobs reaches devices and the hub's registry. */
export const DEVICE_GATEWAY = Symbol('DEVICE_GATEWAY');

/** Outcome of one operation on one device. `error` is the message shown to operators. */
export type OperationOutcome = { ok: true } | { ok: false; error: string };

/** The hub refused a call because of its rate limit (HTTP 429); retry after `retryAfterMs`. */
export class HubThrottledError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`the hub throttled the request; retry after ${retryAfterMs} ms`);
  }
}

/** A device as the hub's registry holds it; its twin tags carry template, display name and tags. */
export interface HubDevice {
  deviceId: string;
  displayName: string | null;
  template: string | null;
  tags: Record<string, unknown>;
}

/** A gate refused a request that would change a device: nothing was sent. */
export class MutationRefused extends Error {
  constructor(reason: string) {
    super(reason);
  }
}

/**
 * What every hub request of one operation passes through. `beforeMutation` runs before each
 * request that changes the device or its twin — the first try and every retry — and may refuse
 * by throwing (e.g. `MutationRefused` once the job is halted); `beforeRead` before each read.
 * `throttled` hears of every 429 so that the caller slows all its requests down.
 */
export interface RequestGate {
  beforeMutation(): Promise<void>;
  beforeRead(): Promise<void>;
  throttled(retryAfterMs: number): void;
  /** The hub refused the last request let through by `beforeMutation` (429, connection refused): nothing was applied. */
  notApplied?(): void;
  /**
   * Asked again for a request let through by `beforeMutation`, just before its bytes leave (once
   * its connection to the hub is open, which may take long on a new one): throwing holds the
   * request back unsent, and the operation fails with what was thrown.
   */
  beforeBytesLeave?(): void;
}

/** The value an operation replaces, as the twin held it just before the write; `present` false: it had none. */
export type PreviousValue = { present: true; value: unknown } | { present: false };

export interface OperationOptions {
  /** Defaults to a gate that lets everything through at once and sleeps out throttling. */
  gate?: RequestGate;
  /**
   * An earlier attempt may already have changed the device (its dispatcher stopped mid-way):
   * the twin is read first, a value already in place is not written again, and the write is
   * guarded by the twin's etag, so the operation is never applied twice.
   */
  redrive?: boolean;
  /**
   * How long the hub may take to answer a twin write before the operation fails with a timeout
   * (the write may still have been applied); absent: as long as the hub takes.
   */
  writeTimeoutMs?: number;
  /**
   * Hears the value the write replaces (a property's tag, a setting's desired value), read from
   * the twin, before each request that may write it and before the gate's `beforeMutation`: a
   * value kept here is kept before anything is sent. Given, a property write reads the twin first.
   * Not called when a re-drive finds the value already in place (nothing is written).
   */
  recordPrevious?(previous: PreviousValue): Promise<void>;
}

export interface SettingOptions extends OperationOptions {
  /** How long to wait for the device's acknowledgement before failing it. */
  ackTimeoutMs: number;
}

export interface CommandOptions extends OperationOptions {
  /** How long the device has to answer the direct method. */
  responseTimeoutMs: number;
}

/**
 * Device operations and registry sync. Operation methods never throw for a device-side problem
 * (offline, rejected, failed, unknown device): they return `{ok:false, error}`. Each request is
 * retried on its own (never the whole operation) when the hub throttles it or refuses the
 * connection, through the options' gate; `MutationRefused` from the gate and other transport
 * failures are thrown.
 */
export interface DeviceGateway {
  /** Property: a cloud-side value, stored in the twin's tags under `properties.<name>`. */
  applyProperty(deviceId: string, name: string, value: unknown, options?: OperationOptions): Promise<OperationOutcome>;
  /**
   * Setting: a desired-property patch, then wait for the device's acknowledgement (a reported
   * `{value, ac, av, ad}` whose `av` reaches the patch's desired version; `ac` 2xx is success).
   * A disconnected device fails at once.
   */
  applySetting(deviceId: string, name: string, value: unknown, options: SettingOptions): Promise<OperationOutcome>;
  /** Command: a direct method; a 2xx status from the device is success. */
  invokeCommand(deviceId: string, name: string, payload: unknown, options: CommandOptions): Promise<OperationOutcome>;

  /** Creates or updates devices in the registry (at most 100 per call) with their twin tags. */
  upsertDevices(devices: HubDevice[]): Promise<void>;
  /** Deletes devices from the registry; unknown ids are ignored. */
  deleteDevices(deviceIds: string[]): Promise<void>;
  /** Pages through the registry (twin query), `pageSize` devices at a time. */
  listDevices(pageSize: number): AsyncIterable<HubDevice[]>;
  close(): Promise<void>;
}
