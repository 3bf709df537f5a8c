import { Registry } from 'azure-iothub';
import { RequestGate } from '../device-gateway.port';
import { callHub } from './hub-call';
import { PropertyQuerySource, PropertyRead, TwinValueKind } from './property-read.batcher';
import { PROPERTIES_TAG } from './twin-tag.layout';

/** Names a query path can carry as they are; others are read with the twin. */
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

type PropertyRow = { deviceId?: string; etag?: string; connectionState?: string; prop?: unknown };

/**
 * Properties (twin tags under `properties`) or settings (desired properties, with the connection
 * state) of many devices by one twin query: each device answers its etag and the one value.
 */
export class HubPropertySource implements PropertyQuerySource {
  constructor(private readonly registry: Registry) {}

  async queryValues(deviceIds: string[], kind: TwinValueKind, name: string, gate: RequestGate): Promise<Map<string, PropertyRead>> {
    const ids = deviceIds.map((id) => `'${id}'`).join(', ');
    const selected = kind === 'property' ? `tags.${PROPERTIES_TAG}.${name} AS prop` : `connectionState, properties.desired.${name} AS prop`;
    const query = this.registry.createQuery(`SELECT deviceId, etag, ${selected} FROM devices WHERE deviceId IN [${ids}]`, deviceIds.length);
    const found = new Map<string, PropertyRead>();
    while (query.hasMoreResults) {
      await gate.beforeRead();
      const page = await callHub(`query the ${kind === 'property' ? 'properties' : 'settings'} about to be written`, () => query.next());
      for (const row of (page.result ?? []) as PropertyRow[]) {
        // A row without an etag cannot guard the write: that device reads its twin instead.
        if (typeof row.deviceId !== 'string' || typeof row.etag !== 'string') continue;
        found.set(row.deviceId, { etag: row.etag, value: row.prop, ...(row.connectionState !== undefined ? { connectionState: row.connectionState } : {}) });
      }
    }
    return found;
  }

  /** Ids holding a quote or a backslash are read on their own rather than escaped into a query literal. */
  queryable(deviceId: string, name: string): boolean {
    return PLAIN_NAME.test(name) && !/['\\]/.test(deviceId);
  }
}
