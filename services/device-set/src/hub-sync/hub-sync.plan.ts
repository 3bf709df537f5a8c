import type { FleetEvent } from '@fleetjobs/contracts';
import type { HubDevice } from '@fleetjobs/device-gateway';

/** One call to the hub's registry. */
export type HubRegistryCall = { kind: 'upsert'; devices: HubDevice[] } | { kind: 'delete'; deviceIds: string[] };

/** Most devices per registry call (the gateway's limit). */
export const HUB_CALL_SIZE = 100;

type LastState = { kind: 'upsert'; device: HubDevice } | { kind: 'delete' } | { kind: 'in-step' };

/**
 * Turns a batch of device events into registry calls. Only each device's last state in the
 * batch matters: an upsert followed by a delete is one delete. A device last registered by a
 * hub import needs no call, the hub already holds it as imported. Devices keep the order of
 * their last event; consecutive devices with the same kind of change share a call.
 */
export function planHubSync(events: readonly FleetEvent[], callSize = HUB_CALL_SIZE): HubRegistryCall[] {
  const last = new Map<string, LastState>();
  const record = (deviceId: string, state: LastState) => {
    last.delete(deviceId);
    last.set(deviceId, state);
  };
  for (const event of events) {
    if (event.type === 'DeviceRegistered') {
      const { deviceId, displayName, template, tags, origin } = event.data;
      record(deviceId, origin === 'api' ? { kind: 'upsert', device: { deviceId, displayName, template, tags } } : { kind: 'in-step' });
    } else if (event.type === 'DeviceDeleted') {
      record(event.data.deviceId, { kind: 'delete' });
    }
  }
  const calls: HubRegistryCall[] = [];
  for (const [deviceId, state] of last) {
    const previous = calls[calls.length - 1];
    if (state.kind === 'upsert') {
      if (previous?.kind === 'upsert' && previous.devices.length < callSize) previous.devices.push(state.device);
      else calls.push({ kind: 'upsert', devices: [state.device] });
    } else if (state.kind === 'delete') {
      if (previous?.kind === 'delete' && previous.deviceIds.length < callSize) previous.deviceIds.push(deviceId);
      else calls.push({ kind: 'delete', deviceIds: [deviceId] });
    }
  }
  return calls;
}
