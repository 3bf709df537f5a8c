import { Registry } from 'azure-iothub';
import { RequestGate } from '../device-gateway.port';
import { callHub } from './hub-call';
import { JsonObject } from './json-merge-patch';
import { AckSource } from './setting-ack.watcher';
import { TwinJson, TwinJsonClient } from './twin-json.client';

/** Setting names a query path can carry as they are; others are asked for with whole twins. */
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

type AckRow = TwinJson & { deviceId: string; ack?: JsonObject };

/** Where the setting-acknowledgement watcher reads reported properties: twin queries, twin reads for the rest. */
export class HubAckSource implements AckSource {
  constructor(
    private readonly registry: Registry,
    private readonly twins: TwinJsonClient,
  ) {}

  /**
   * Only the reported value of the setting comes back (not whole twins): the hub answers a few
   * bytes per device. Each page of the query's answer is one read through the gate.
   */
  async queryReported(deviceIds: string[], name: string, gate: RequestGate): Promise<Map<string, JsonObject>> {
    const ids = deviceIds.map((id) => `'${id}'`).join(', ');
    const projected = PLAIN_NAME.test(name);
    const query = this.registry.createQuery(
      projected
        ? `SELECT deviceId, properties.reported.${name} AS ack FROM devices WHERE deviceId IN [${ids}]`
        : `SELECT * FROM devices WHERE deviceId IN [${ids}]`,
      deviceIds.length,
    );
    const found = new Map<string, JsonObject>();
    while (query.hasMoreResults) {
      await gate.beforeRead();
      const page = await callHub('query twins awaiting acknowledgements', () => query.next());
      for (const row of (page.result ?? []) as AckRow[]) {
        found.set(row.deviceId, projected ? { [name]: row.ack } : (row.properties?.reported ?? {}));
      }
    }
    return found;
  }

  async readReported(deviceId: string, gate: RequestGate): Promise<JsonObject> {
    await gate.beforeRead();
    const { responseBody } = await callHub(`read twin ${deviceId}`, () => this.twins.getTwin(deviceId), ['device-not-found']);
    return responseBody.properties?.reported ?? {};
  }

  /** Ids holding a quote or a backslash are read on their own rather than escaped into a query literal. */
  queryable(deviceId: string): boolean {
    return !/['\\]/.test(deviceId);
  }
}
