import { ConnectionState, SettingAck } from './simulated-device.behaviour';

export type JsonObject = Record<string, unknown>;

/** The twin part of a device as the simulator stores it (desired/reported without `$` keys). */
export interface TwinState {
  tags: JsonObject;
  desired: JsonObject;
  desiredVersion: number;
  reported: JsonObject;
  reportedVersion: number;
  twinVersion: number;
}

export interface TwinPatch {
  tags?: JsonObject;
  desired?: JsonObject;
}

export interface PatchedTwin {
  state: TwinState;
  /** Top-level desired keys the patch wrote with a value (not deleted). */
  writtenDesiredKeys: string[];
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** IoT Hub's twin merge: objects merge recursively, `null` deletes a key, anything else replaces. */
export function mergePatch(target: JsonObject, patch: JsonObject): JsonObject {
  const merged: JsonObject = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    if (value === null) delete merged[key];
    else if (isJsonObject(value)) merged[key] = mergePatch(isJsonObject(merged[key]) ? (merged[key] as JsonObject) : {}, value);
    else merged[key] = value;
  }
  return merged;
}

/**
 * Applies a service-side twin patch. Every patch that writes desired properties bumps the desired
 * `$version`, even when a value is unchanged, so that the device sees (and acknowledges) it again.
 */
export function applyTwinPatch(state: TwinState, patch: TwinPatch): PatchedTwin {
  const desiredKeys = patch.desired ? Object.keys(patch.desired).filter((key) => !key.startsWith('$')) : [];
  const tagsChange = patch.tags !== undefined && Object.keys(patch.tags).length > 0;
  const desiredChange = desiredKeys.length > 0;
  if (!tagsChange && !desiredChange) return { state, writtenDesiredKeys: [] };
  return {
    state: {
      ...state,
      tags: tagsChange ? mergePatch(state.tags, patch.tags as JsonObject) : state.tags,
      desired: desiredChange ? mergePatch(state.desired, patch.desired as JsonObject) : state.desired,
      desiredVersion: desiredChange ? state.desiredVersion + 1 : state.desiredVersion,
      twinVersion: state.twinVersion + 1,
    },
    writtenDesiredKeys: desiredKeys.filter((key) => patch.desired?.[key] !== null).sort(),
  };
}

/** Desired keys whose reported acknowledgement is older than the current desired version. */
export function unacknowledgedDesiredKeys(state: TwinState): string[] {
  return Object.keys(state.desired)
    .filter((key) => acknowledgedVersionOf(state.reported[key]) < state.desiredVersion)
    .sort();
}

/**
 * The device reports `{value, ac, av, ad}` for each named desired property it still holds, with
 * the value and desired version it sees now. A property already acknowledged at this version is
 * left alone, so a repeated or late acknowledgement changes nothing.
 */
export function acknowledgeSettings(state: TwinState, names: readonly string[], ack: SettingAck): TwinState {
  const present = names.filter((name) => name in state.desired && acknowledgedVersionOf(state.reported[name]) < state.desiredVersion);
  if (present.length === 0) return state;
  const reported = { ...state.reported };
  for (const name of present) {
    reported[name] = { value: state.desired[name], ac: ack.ac, av: state.desiredVersion, ad: ack.ad };
  }
  return { ...state, reported, reportedVersion: state.reportedVersion + 1, twinVersion: state.twinVersion + 1 };
}

function acknowledgedVersionOf(reported: unknown): number {
  const av = isJsonObject(reported) ? reported['av'] : undefined;
  return typeof av === 'number' ? av : -Infinity;
}

/** IoT Hub twin etags are base64 strings; this one encodes the twin version. */
export function twinEtag(twinVersion: number): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(twinVersion));
  return bytes.toString('base64');
}

/** Strips the quotes of an `If-Match` header; `undefined` when the header is absent. */
export function unquoteEtag(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  return header.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

export interface TwinView {
  deviceId: string;
  deviceEtag: string;
  state: TwinState;
  connectionState: ConnectionState;
  updatedAt: Date;
}

/** The twin JSON the IoT Hub service API returns. */
export function renderTwin(view: TwinView): JsonObject {
  const lastUpdated = view.updatedAt.toISOString();
  return {
    deviceId: view.deviceId,
    etag: twinEtag(view.state.twinVersion),
    deviceEtag: view.deviceEtag,
    status: 'enabled',
    statusUpdateTime: '0001-01-01T00:00:00Z',
    connectionState: view.connectionState,
    lastActivityTime: lastUpdated,
    cloudToDeviceMessageCount: 0,
    authenticationType: 'sas',
    x509Thumbprint: { primaryThumbprint: null, secondaryThumbprint: null },
    modelId: '',
    version: view.state.twinVersion,
    tags: view.state.tags,
    properties: {
      desired: { ...view.state.desired, $metadata: { $lastUpdated: lastUpdated }, $version: view.state.desiredVersion },
      reported: { ...view.state.reported, $metadata: { $lastUpdated: lastUpdated }, $version: view.state.reportedVersion },
    },
    capabilities: { iotEdge: false },
  };
}
