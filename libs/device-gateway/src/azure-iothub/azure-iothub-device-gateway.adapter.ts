import { Agent } from 'node:https';
import { Client, Registry } from 'azure-iothub';
import type {
  CommandOptions,
  DeviceGateway,
  HubDevice,
  OperationOptions,
  OperationOutcome,
  PreviousValue,
  RequestGate,
  SettingOptions,
} from '../device-gateway.port';
import { DeviceRegistrySync } from './device-registry.sync';
import { createHubAgent, hostNameHasPort, installHubAgent } from './hub.agent';
import { gatedRequest, openGate } from './gated-request';
import { expectedFailureKind, hubRefusal } from './hub-call';
import { isPlainObject, JsonObject, replacementPatch } from './json-merge-patch';
import { settingAckOf } from './twin-ack.poller';
import { SettingAckWatcher } from './setting-ack.watcher';
import { HubAckSource } from './hub-ack.source';
import { HubPropertySource } from './hub-property.source';
import { reuseHubSignatures } from './hub-signature.reuse';
import { PropertyRead, PropertyReadBatcher } from './property-read.batcher';
import { TwinJson, TwinJsonClient } from './twin-json.client';
import { PROPERTIES_TAG } from './twin-tag.layout';

export interface AzureIotHubDeviceGatewayOptions {
  /** A service connection string (`HostName=...;SharedAccessKeyName=...;SharedAccessKey=...`). */
  connectionString: string;
  /** A certificate to trust in addition to the system's (the hub simulator's self-signed one). */
  caCertPem?: string;
  /** Interval between the twin queries that look for settings' acknowledgements. Default 250 ms. */
  ackPollIntervalMs?: number;
  /** Concurrent HTTPS connections to the hub. Default 256. */
  maxSockets?: number;
  /**
   * Whether devices writing together read their twins with one shared query (default) or each
   * its own twin (as before the shared reads; for comparing the two).
   */
  shareTwinReads?: boolean;
}

/** Devices named in one acknowledgement or property query: one page of its answer, a query text of a few kB. */
const ACK_QUERY_DEVICES = 100;
/**
 * A twin query answered later than this pauses the queries of property and setting writes for
 * QUERY_PAUSE_MS: an S1 or S2 hub queues a query for up to 3 s once past its 20 a minute, while a
 * busy machine alone can take a second to answer.
 */
const SLOW_QUERY_MS = 2000;
const QUERY_PAUSE_MS = 10_000;
/** Reads and etag-guarded writes tried again when another writer changed the twin in between. */
const MAX_ETAG_ATTEMPTS = 3;
/** IoT Hub accepts direct-method response timeouts from 5 to 300 seconds. */
const MIN_METHOD_TIMEOUT_S = 5;
const MAX_METHOD_TIMEOUT_S = 300;
const NO_RETRY = { shouldRetry: () => false, nextRetryTimeout: () => -1 };

const OFFLINE_SETTING = 'device is offline (not connected); the setting was not applied';
const OFFLINE_COMMAND = 'device is offline (not connected); the command was not delivered';

/**
 * The DeviceGateway on Azure IoT Hub's service API through the `azure-iothub` SDK: properties as
 * twin tags (`properties.<name>`), settings as desired properties acknowledged by the device,
 * commands as direct methods, and registry sync by bulk create and twin tag patches. The twin tag
 * layout is described in `twin-tag.layout.ts`.
 */
export class AzureIotHubDeviceGateway implements DeviceGateway {
  private readonly registry: Registry;
  private readonly client: Client;
  private readonly agent: Agent;
  private readonly registrySync: DeviceRegistrySync;
  private readonly twins: TwinJsonClient;
  private readonly acks: SettingAckWatcher;
  private readonly propertyReads: PropertyReadBatcher;
  private readonly shareTwinReads: boolean;

  constructor(options: AzureIotHubDeviceGatewayOptions) {
    this.registry = Registry.fromConnectionString(options.connectionString);
    this.client = Client.fromConnectionString(options.connectionString);
    this.agent = createHubAgent(hostNameHasPort(options.connectionString), {
      caCertPem: options.caCertPem,
      maxSockets: options.maxSockets,
    });
    installHubAgent(this.registry, this.agent, options.caCertPem);
    installHubAgent(this.client, this.agent, options.caCertPem);
    reuseHubSignatures(this.registry);
    reuseHubSignatures(this.client);
    // Retries belong to the caller: a retried direct method could run twice on the device.
    this.client.setRetryPolicy(NO_RETRY);
    this.shareTwinReads = options.shareTwinReads ?? true;
    this.registrySync = new DeviceRegistrySync(this.registry);
    this.twins = new TwinJsonClient(this.registry);
    // One watcher for every setting this gateway waits on: one query per round asks about up to
    // ACK_QUERY_DEVICES devices, instead of one twin read per device and poll.
    this.propertyReads = new PropertyReadBatcher(new HubPropertySource(this.registry), {
      maxDevicesPerQuery: ACK_QUERY_DEVICES,
      slowQueryMs: SLOW_QUERY_MS,
      pauseMs: QUERY_PAUSE_MS,
    });
    this.acks = new SettingAckWatcher(
      new HubAckSource(this.registry, this.twins),
      { intervalMs: options.ackPollIntervalMs ?? 250, maxDevicesPerQuery: ACK_QUERY_DEVICES },
    );
  }

  async applyProperty(deviceId: string, name: string, value: unknown, options: OperationOptions = {}): Promise<OperationOutcome> {
    const gate = options.gate ?? openGate();
    let redrive = options.redrive ?? false;
    try {
      for (let attempt = 1; ; attempt += 1) {
        let patchValue = value;
        let etag = '*';
        if (isPlainObject(value) || redrive || options.recordPrevious) {
          // A re-drive, and a try after a 412, read the twin itself: a query's answer may lag behind it.
          const current = await this.readProperty(gate, deviceId, name, redrive);
          if (redrive && sameJson(current.value, value)) return { ok: true };
          await options.recordPrevious?.(current.value === undefined || current.value === null ? { present: false } : { present: true, value: current.value });
          patchValue = replacementPatch(current.value, value);
          // A patch computed from what was read must not land on a twin changed since.
          etag = current.etag;
        }
        try {
          await gatedRequest(
            gate,
            'mutation',
            `property ${name} on ${deviceId}`,
            answeredWithin(
              `property ${name}`,
              options.writeTimeoutMs,
              () => this.twins.updateTwin(deviceId, { tags: { [PROPERTIES_TAG]: { [name]: patchValue } } }, etag),
            ),
            ['device-not-found', 'precondition-failed'],
          );
          return { ok: true };
        } catch (error) {
          if (expectedFailureKind(error) !== 'precondition-failed' || attempt >= MAX_ETAG_ATTEMPTS) throw error;
          redrive = true;
        }
      }
    } catch (error) {
      return deviceOutcome(error, deviceId);
    }
  }

  async applySetting(deviceId: string, name: string, value: unknown, options: SettingOptions): Promise<OperationOutcome> {
    const startedAt = Date.now();
    const gate = options.gate ?? openGate();
    try {
      let version: number | null = null;
      let reported: JsonObject | undefined;
      let redrive = options.redrive ?? false;
      for (let attempt = 1; version === null; attempt += 1) {
        // A re-drive, and a try after a 412, read the twin itself: it needs the desired version, and a query's answer may lag.
        const before = await this.readSetting(gate, deviceId, name, redrive);
        if (before.connectionState === 'Disconnected') return { ok: false, error: OFFLINE_SETTING };
        const desired = before.properties?.desired ?? {};
        if (redrive && sameJson(desired[name], value)) {
          // An earlier attempt already wrote it: wait for the device's answer to that write.
          version = Number(desired['$version']);
          reported = before.properties?.reported;
          break;
        }
        await options.recordPrevious?.(previousOf(desired, name));
        try {
          const { responseBody: after } = await gatedRequest(
            gate,
            'mutation',
            `setting ${name} on ${deviceId}`,
            answeredWithin(`setting ${name}`, options.writeTimeoutMs, () =>
              this.twins.updateTwin(
                deviceId,
                { properties: { desired: { [name]: replacementPatch(desired[name], value) } } },
                // Only onto the twin as read: a write that landed since (another attempt of this
                // very setting, say) makes the hub answer 412 instead of applying it twice.
                before.etag ?? '*',
              ),
            ),
            ['device-not-found', 'precondition-failed'],
          );
          const afterJson = after;
          version = Number(afterJson.properties?.desired?.['$version']);
          reported = afterJson.properties?.reported;
        } catch (error) {
          if (expectedFailureKind(error) !== 'precondition-failed' || attempt >= MAX_ETAG_ATTEMPTS) throw error;
          // The twin changed since it was read: if it already holds the value, it is not written again.
          redrive = true;
        }
      }
      let ack = settingAckOf(reported, name, version);
      if (!ack.acknowledged) {
        // Reads are waited out within the deadline by the watcher: throttling must never make the caller patch again.
        ack = await this.acks.wait(deviceId, name, version, gate, options.ackTimeoutMs, startedAt);
      }
      if (!ack.acknowledged) {
        return { ok: false, error: `the device did not acknowledge the setting within ${formatSeconds(options.ackTimeoutMs)}` };
      }
      if (ack.ac >= 200 && ack.ac < 300) return { ok: true };
      return { ok: false, error: `the device rejected the setting: ${ack.ad ?? 'no reason given'} (code ${ack.ac})` };
    } catch (error) {
      return deviceOutcome(error, deviceId);
    }
  }

  async invokeCommand(deviceId: string, name: string, payload: unknown, options: CommandOptions): Promise<OperationOutcome> {
    const timeoutSeconds = Math.min(MAX_METHOD_TIMEOUT_S, Math.max(MIN_METHOD_TIMEOUT_S, Math.ceil(options.responseTimeoutMs / 1000)));
    try {
      const { result } = await gatedRequest(
        options.gate ?? openGate(),
        'mutation',
        `command ${name} on ${deviceId}`,
        () =>
          this.client.invokeDeviceMethod(deviceId, {
            methodName: name,
            payload: payload ?? null,
            responseTimeoutInSeconds: timeoutSeconds,
            connectTimeoutInSeconds: 0,
          }),
        ['device-not-found', 'device-not-online', 'gateway-timeout'],
      );
      const status = Number((result as { status?: unknown })?.status);
      if (status >= 200 && status < 300) return { ok: true };
      return { ok: false, error: `command ${name} failed on the device (status ${status}): ${describePayload(result)}` };
    } catch (error) {
      const kind = expectedFailureKind(error);
      if (kind === 'device-not-online') return { ok: false, error: OFFLINE_COMMAND };
      if (kind === 'gateway-timeout') {
        return { ok: false, error: `command ${name} timed out: the device did not answer within ${timeoutSeconds} s` };
      }
      return deviceOutcome(error, deviceId);
    }
  }

  upsertDevices(devices: HubDevice[]): Promise<void> {
    return this.registrySync.upsert(devices);
  }

  deleteDevices(deviceIds: string[]): Promise<void> {
    return this.registrySync.delete(deviceIds);
  }

  listDevices(pageSize: number): AsyncIterable<HubDevice[]> {
    return this.registrySync.list(pageSize);
  }

  async close(): Promise<void> {
    this.acks.close(new Error('the gateway was closed while waiting for the acknowledgement'));
    this.agent.destroy();
  }

  /**
   * The property as the twin holds it and the twin's etag: devices about to write together share
   * one twin query (`fromTwin`: the twin itself, read alone).
   */
  private async readProperty(gate: RequestGate, deviceId: string, name: string, fromTwin: boolean): Promise<PropertyRead> {
    if (!fromTwin && this.shareTwinReads) {
      const read = await this.propertyReads.read(deviceId, 'property', name, gate);
      if (read) return read;
    }
    const twin = await this.getTwin(gate, deviceId);
    const properties = isPlainObject(twin.tags?.[PROPERTIES_TAG]) ? (twin.tags[PROPERTIES_TAG] as JsonObject) : {};
    return { etag: twin.etag ?? '*', value: Object.prototype.hasOwnProperty.call(properties, name) ? properties[name] : undefined };
  }

  /** The twin as a setting write needs it: devices about to write together share one twin query for the value, etag and connection state. */
  private async readSetting(gate: RequestGate, deviceId: string, name: string, fromTwin: boolean): Promise<TwinJson> {
    if (!fromTwin && this.shareTwinReads) {
      const read = await this.propertyReads.read(deviceId, 'setting', name, gate);
      if (read) {
        return { etag: read.etag, connectionState: read.connectionState, properties: { desired: read.value === undefined ? {} : { [name]: read.value } } };
      }
    }
    return this.getTwin(gate, deviceId);
  }

  private async getTwin(gate: RequestGate, deviceId: string): Promise<TwinJson> {
    const { responseBody } = await gatedRequest(gate, 'read', `read twin ${deviceId}`, () => this.twins.getTwin(deviceId), ['device-not-found']);
    return responseBody;
  }
}

/** The hub did not answer a twin write within the operation's timeout. */
class TwinWriteTimedOut extends Error {}

/**
 * The call, failing with `TwinWriteTimedOut` once `timeoutMs` has passed without an answer. The
 * SDK cannot abort its request: the socket stays busy until the hub answers or drops it.
 */
function answeredWithin<T>(operation: string, timeoutMs: number | undefined, call: () => Promise<T>): () => Promise<T> {
  if (timeoutMs === undefined) return call;
  return () =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new TwinWriteTimedOut(`${operation} timed out: the hub did not answer the twin write within ${formatSeconds(timeoutMs)}`)),
        timeoutMs,
      );
      call().then(
        (answer) => {
          clearTimeout(timer);
          resolve(answer);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
}

/** Device-side failures and twin writes left unanswered become outcomes; throttling and transport errors propagate. */
function deviceOutcome(error: unknown, deviceId: string): OperationOutcome {
  if (expectedFailureKind(error) === 'device-not-found') {
    return { ok: false, error: `device ${deviceId} is not registered in the hub` };
  }
  for (let cause: unknown = error; cause; cause = (cause as { cause?: unknown }).cause) {
    if (cause instanceof TwinWriteTimedOut) return { ok: false, error: cause.message };
  }
  // A request the hub refuses (a limit of the twin or the method) fails the device: retrying cannot help.
  const refusal = hubRefusal(error);
  if (refusal) return { ok: false, error: refusal };
  throw error;
}

/** A value as the twin held it; twins drop keys set to null, so a key present holds a value. */
function previousOf(values: JsonObject, name: string): PreviousValue {
  return Object.prototype.hasOwnProperty.call(values, name) && values[name] !== null ? { present: true, value: values[name] } : { present: false };
}

/** JSON equality as the twin stores values: key order does not matter. */
function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function describePayload(result: unknown): string {
  const payload = (result as { payload?: unknown })?.payload;
  if (isPlainObject(payload) && typeof payload['error'] === 'string') return payload['error'];
  return JSON.stringify(payload ?? null);
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : Number(seconds.toFixed(1))} s`;
}
