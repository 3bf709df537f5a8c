import { isInsideWindow, MaintenanceWindow } from './maintenance-window';

/** A window's `timeZone` that means: in each device's own zone (its `timezone` tag). */
export const DEVICE_TIME_ZONE = 'device';

/** The zone a device without a (known) `timezone` tag is in. */
export const DEFAULT_DEVICE_TIME_ZONE = 'UTC';

const MAX_REMEMBERED_TAGS = 1_000;
const canonicalZones = new Map<string, string>();

/**
 * The zone a device's windows open in: its `timezone` tag as this runtime names that IANA zone
 * (`europe/berlin` is `Europe/Berlin`), or UTC for a device without the tag or with a zone this
 * runtime does not know. Remembers recent tags, since a fleet names few zones.
 */
export function deviceTimeZone(tag: string | null | undefined): string {
  if (typeof tag !== 'string' || tag.trim() === '') return DEFAULT_DEVICE_TIME_ZONE;
  const known = canonicalZones.get(tag);
  if (known) return known;
  let zone = DEFAULT_DEVICE_TIME_ZONE;
  try {
    zone = new Intl.DateTimeFormat('en-US', { timeZone: tag.trim() }).resolvedOptions().timeZone;
  } catch {
    // Not a zone this runtime knows: the device is in UTC.
  }
  if (canonicalZones.size >= MAX_REMEMBERED_TAGS) canonicalZones.clear();
  canonicalZones.set(tag, zone);
  return zone;
}

/** Whether any of the windows opens in each device's own zone. */
export function hasDeviceZoneWindows(windows: readonly MaintenanceWindow[] | null | undefined): boolean {
  return (windows ?? []).some((window) => window.timeZone === DEVICE_TIME_ZONE);
}

/**
 * The device zones, among `zones`, in which a job may start devices at `instant`: `null` when any
 * of its devices may start (it has no windows, or a window in a fixed zone is open), else the
 * zones in which one of its `device` windows is open (none while every window is closed). A
 * device starts when any of the job's windows is open, a `device` window judged in the device's
 * own zone. Judged once per distinct zone, never per device.
 */
export function openTimeZones(
  windows: readonly MaintenanceWindow[] | null | undefined,
  zones: readonly string[],
  instant: Date,
): string[] | null {
  if (!windows || windows.length === 0) return null;
  const inDeviceZones = windows.filter((window) => window.timeZone === DEVICE_TIME_ZONE);
  const fixed = windows.filter((window) => window.timeZone !== DEVICE_TIME_ZONE);
  if (fixed.some((window) => isInsideWindow(window, instant))) return null;
  return [...new Set(zones)].filter((zone) => inDeviceZones.some((window) => isInsideWindowIn(window, zone, instant)));
}

/** A `device` window judged in one zone; one the runtime cannot judge in counts as UTC. */
function isInsideWindowIn(window: MaintenanceWindow, zone: string, instant: Date): boolean {
  try {
    return isInsideWindow({ ...window, timeZone: zone }, instant);
  } catch {
    return zone !== DEFAULT_DEVICE_TIME_ZONE && isInsideWindow({ ...window, timeZone: DEFAULT_DEVICE_TIME_ZONE }, instant);
  }
}
