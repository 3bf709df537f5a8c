import { createHmac } from 'node:crypto';
import { behaviourFromTags, connectionStateOf } from './simulated-device.behaviour';
import { DeviceRow } from './store/device-row';
import { JsonObject } from './twin-document';

/**
 * The device identity JSON of the registry API. Symmetric keys are derived from the hub key and
 * the device id, so they are stable without being stored.
 */
export function renderDeviceIdentity(row: DeviceRow, hubKey: string): JsonObject {
  const deviceKey = (slot: string): string =>
    createHmac('sha256', Buffer.from(hubKey, 'base64')).update(`${row.id}/${slot}`).digest('base64');
  const updated = new Date(row.updated_at).toISOString();
  return {
    deviceId: row.id,
    generationId: row.generation_id,
    etag: row.etag,
    connectionState: connectionStateOf(behaviourFromTags(row.tags)),
    status: 'enabled',
    statusReason: null,
    connectionStateUpdatedTime: updated,
    statusUpdatedTime: '0001-01-01T00:00:00Z',
    lastActivityTime: updated,
    cloudToDeviceMessageCount: 0,
    authentication: {
      symmetricKey: { primaryKey: deviceKey('primary'), secondaryKey: deviceKey('secondary') },
      x509Thumbprint: { primaryThumbprint: null, secondaryThumbprint: null },
      type: 'sas',
    },
    capabilities: { iotEdge: false },
  };
}
