import type { FleetEvent } from '@fleetjobs/contracts';

/**
 * The devices a batch of device events touched, each once, in the order of its last event.
 * Only ids matter: the hub is brought to each device's current state, read when it is written,
 * never to the state an event carried (a redelivered or late event must not undo a newer write).
 */
export function devicesToSync(events: readonly FleetEvent[]): string[] {
  const ids = new Set<string>();
  for (const event of events) {
    const deviceId = event.type === 'DeviceRegistered' || event.type === 'DeviceDeleted' ? event.data.deviceId : null;
    if (deviceId === null) continue;
    ids.delete(deviceId);
    ids.add(deviceId);
  }
  return [...ids];
}
