import { Registry, Twin } from 'azure-iothub';
import type { HubDevice } from '../device-gateway.port';
import { callHub, expectedFailureKind } from './hub-call';
import { classifyHubError } from './hub-error.classifier';
import { hubDeviceFromTwinTags, deviceTwinTags, retagPatch } from './twin-tag.layout';

const BULK_LIMIT = 100;
const RETAG_CONCURRENCY = 8;
const RETAG_ATTEMPTS = 3;

interface TwinSnapshot {
  tags: unknown;
  etag: string;
}

/**
 * Keeps the hub's registry in step with Fleetjobs devices. New devices are created in one bulk
 * `create` carrying their twin tags; existing ones are re-tagged with a twin patch (so their
 * identity and keys stay untouched, and `properties` survive), only when their tags differ.
 */
export class DeviceRegistrySync {
  constructor(private readonly registry: Registry) {}

  async upsert(devices: HubDevice[]): Promise<void> {
    if (devices.length === 0) return;
    if (devices.length > BULK_LIMIT) throw new Error(`at most ${BULK_LIMIT} devices per upsert, got ${devices.length}`);
    const byId = new Map(devices.map((device) => [device.deviceId, device]));
    const tagsById = new Map([...byId.values()].map((device) => [device.deviceId, deviceTwinTags(device)]));
    const existing = await this.findTwins([...byId.keys()]);

    const created = [...byId.keys()].filter((id) => !existing.has(id));
    const alreadyThere = created.length > 0 ? await this.create(created.map((id) => ({ deviceId: id, tags: tagsById.get(id) }))) : [];
    const retag = [...existing.keys(), ...alreadyThere];
    await forEachLimited(retag, RETAG_CONCURRENCY, (id) => this.retag(byId.get(id) as HubDevice, existing.get(id)));
  }

  async delete(deviceIds: string[]): Promise<void> {
    for (let start = 0; start < deviceIds.length; start += BULK_LIMIT) {
      const chunk = [...new Set(deviceIds.slice(start, start + BULK_LIMIT))];
      try {
        await callHub('bulk delete', () => this.registry.removeDevices(chunk.map((deviceId) => ({ deviceId })), true), ['other']);
      } catch (error) {
        const failed = bulkErrors(error);
        if (!failed || failed.some((entry) => entry.errorCode !== 'DeviceNotFound')) throw unwrap(error);
      }
    }
  }

  async *list(pageSize: number): AsyncIterable<HubDevice[]> {
    const query = this.registry.createQuery('SELECT * FROM devices', pageSize);
    while (query.hasMoreResults) {
      const page = await callHub('registry query', () => query.nextAsTwin());
      const twins: Twin[] = page.result ?? [];
      if (twins.length > 0) yield twins.map((twin) => hubDeviceFromTwinTags(twin.deviceId, twin.tags));
    }
  }

  /** Creates devices with their tags; returns the ids that turned out to exist already. */
  private async create(items: { deviceId: string; tags: unknown }[]): Promise<string[]> {
    try {
      await callHub('bulk create', () => this.registry.addDevices(items.map((item) => ({ ...item, status: 'enabled' }))), ['other']);
      return [];
    } catch (error) {
      const failed = bulkErrors(error);
      if (!failed || failed.some((entry) => entry.errorCode !== 'DeviceAlreadyExists')) throw unwrap(error);
      return failed.map((entry) => entry.deviceId);
    }
  }

  private async retag(device: HubDevice, known: TwinSnapshot | undefined): Promise<void> {
    let twin = known ?? (await this.readTwin(device.deviceId));
    for (let attempt = 1; twin; attempt++) {
      const patch = retagPatch(twin.tags, device);
      if (!patch) return;
      const current = twin;
      try {
        await callHub(`re-tag ${device.deviceId}`, () => this.registry.updateTwin(device.deviceId, { tags: patch }, current.etag), [
          'precondition-failed',
        ]);
        return;
      } catch (error) {
        if (expectedFailureKind(error) !== 'precondition-failed' || attempt >= RETAG_ATTEMPTS) throw unwrap(error);
        twin = await this.readTwin(device.deviceId);
      }
    }
    await this.create([{ deviceId: device.deviceId, tags: deviceTwinTags(device) }]);
  }

  private async readTwin(deviceId: string): Promise<TwinSnapshot | undefined> {
    try {
      const { responseBody } = await callHub(`read twin ${deviceId}`, () => this.registry.getTwin(deviceId), ['device-not-found']);
      return { tags: responseBody.tags, etag: responseBody.etag };
    } catch (error) {
      if (expectedFailureKind(error) === 'device-not-found') return undefined;
      throw error;
    }
  }

  /** Twins of the given devices, by one query (ids a query literal cannot carry are read one by one). */
  private async findTwins(deviceIds: string[]): Promise<Map<string, TwinSnapshot>> {
    const found = new Map<string, TwinSnapshot>();
    const quotable = deviceIds.filter((id) => !/['\\]/.test(id));
    if (quotable.length > 0) {
      const query = this.registry.createQuery(
        `SELECT * FROM devices WHERE deviceId IN [${quotable.map((id) => `'${id}'`).join(', ')}]`,
        BULK_LIMIT,
      );
      while (query.hasMoreResults) {
        const page = await callHub('registry query', () => query.nextAsTwin());
        for (const twin of page.result ?? []) found.set(twin.deviceId, { tags: twin.tags, etag: twin.etag });
      }
    }
    for (const id of deviceIds.filter((candidate) => !quotable.includes(candidate))) {
      const twin = await this.readTwin(id);
      if (twin) found.set(id, twin);
    }
    return found;
  }
}

interface BulkError {
  deviceId: string;
  errorCode: string;
}

/** The per-device errors of a failed bulk call (IoT Hub answers 400 with `BulkRegistryOperationResult`). */
function bulkErrors(error: unknown): BulkError[] | null {
  const cause = (error as { cause?: unknown }).cause ?? error;
  const body = (cause as { responseBody?: unknown }).responseBody;
  if (typeof body !== 'string' || classifyHubError(cause).kind !== 'other') return null;
  try {
    const parsed = JSON.parse(body) as { errors?: unknown };
    if (!Array.isArray(parsed.errors) || parsed.errors.length === 0) return null;
    return parsed.errors.map((entry) => ({
      deviceId: String((entry as BulkError).deviceId),
      errorCode: String((entry as BulkError).errorCode),
    }));
  } catch {
    return null;
  }
}

/** A `HubCallFailure` the caller could not handle is a transport error after all. */
function unwrap(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
