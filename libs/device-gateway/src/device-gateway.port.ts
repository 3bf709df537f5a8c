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

export interface SettingOptions {
  /** How long to wait for the device's acknowledgement before failing it. */
  ackTimeoutMs: number;
}

export interface CommandOptions {
  /** How long the device has to answer the direct method. */
  responseTimeoutMs: number;
}

/**
 * Device operations and registry sync. Operation methods never throw for a device-side problem
 * (offline, rejected, failed, unknown device): they return `{ok:false, error}`. They throw
 * `HubThrottledError` on 429 and ordinary errors for transport failures, which the caller may retry.
 */
export interface DeviceGateway {
  /** Property: a cloud-side value, stored in the twin's tags under `properties.<name>`. */
  applyProperty(deviceId: string, name: string, value: unknown): Promise<OperationOutcome>;
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
