import type { HubDevice } from '../device-gateway.port';
import { isPlainObject, JsonObject, jsonEqual, replacementPatch } from './json-merge-patch';

/**
 * How a Fleetjobs device is written into its twin tags:
 *
 * ```json
 * {
 *   "fleetjobs":  { "template": "vending-machine", "displayName": "Lobby machine" },
 *   "city":       "Seattle",
 *   "simulator":  { "latencyMs": 200 },
 *   "properties": { "location": "lobby" }
 * }
 * ```
 * - `fleetjobs` holds the template id and display name (each omitted when null);
 * - the device's own tags sit at the top level, so hub queries can use them (`tags.city = 'Seattle'`)
 *   and the hub simulator reads its `simulator` tag from them;
 * - `properties` holds the values of property operations (one key per property).
 * `fleetjobs` and `properties` are therefore reserved and cannot be device tag names.
 */
export const FLEETJOBS_TAG = 'fleetjobs';
export const PROPERTIES_TAG = 'properties';
export const RESERVED_TAG_NAMES: readonly string[] = [FLEETJOBS_TAG, PROPERTIES_TAG];

/** The tags Fleetjobs owns for a device: everything but `properties`. */
export function deviceTwinTags(device: HubDevice): JsonObject {
  const reserved = Object.keys(device.tags).filter((name) => RESERVED_TAG_NAMES.includes(name));
  if (reserved.length > 0) {
    throw new Error(`device ${device.deviceId}: tag name(s) ${reserved.join(', ')} are reserved in the hub's twin tags`);
  }
  const fleetjobs: JsonObject = {};
  if (device.template !== null) fleetjobs['template'] = device.template;
  if (device.displayName !== null) fleetjobs['displayName'] = device.displayName;
  return { ...(Object.keys(fleetjobs).length > 0 ? { [FLEETJOBS_TAG]: fleetjobs } : {}), ...device.tags };
}

/** Reads a device back from its twin tags (devices registered elsewhere have no `fleetjobs` tag). */
export function hubDeviceFromTwinTags(deviceId: string, tags: unknown): HubDevice {
  const all = isPlainObject(tags) ? tags : {};
  const fleetjobs = isPlainObject(all[FLEETJOBS_TAG]) ? (all[FLEETJOBS_TAG] as JsonObject) : {};
  const userTags = Object.fromEntries(Object.entries(all).filter(([name]) => !RESERVED_TAG_NAMES.includes(name)));
  return {
    deviceId,
    template: typeof fleetjobs['template'] === 'string' ? fleetjobs['template'] : null,
    displayName: typeof fleetjobs['displayName'] === 'string' ? fleetjobs['displayName'] : null,
    tags: userTags,
  };
}

/**
 * The tag patch that re-tags an existing twin to `device`, leaving `properties` alone; `null`
 * when the twin already carries exactly these tags.
 */
export function retagPatch(currentTags: unknown, device: HubDevice): JsonObject | null {
  const current = isPlainObject(currentTags) ? { ...currentTags } : {};
  delete current[PROPERTIES_TAG];
  const target = deviceTwinTags(device);
  return jsonEqual(current, target) ? null : (replacementPatch(current, target) as JsonObject);
}
