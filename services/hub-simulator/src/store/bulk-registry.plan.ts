import { isJsonObject, JsonObject, twinEtag, unquoteEtag } from '../twin-document';
import { DeviceRow, newDeviceEtag, newGenerationId } from './device-row';

/** One entry of a bulk registry request (`ExportImportDevice`). */
export interface BulkItem {
  id?: unknown;
  importMode?: unknown;
  eTag?: unknown;
  twinETag?: unknown;
  tags?: unknown;
  properties?: unknown;
  [field: string]: unknown;
}

/** IoT Hub's `DeviceRegistryOperationError`. */
export interface BulkItemError {
  deviceId: string;
  errorCode: string;
  errorStatus: string;
}

/** A device row to insert or overwrite, as `jsonb_to_recordset` reads it. */
export interface BulkWrite {
  id: string;
  etag: string;
  generation_id: string;
  tags: JsonObject;
  desired: JsonObject;
  desired_version: number;
  twin_version: number;
}

export interface BulkPlan {
  writes: BulkWrite[];
  deletes: string[];
  errors: BulkItemError[];
  applied: { id: string; mode: string; body: BulkItem }[];
}

export const BULK_LIMIT = 100;

/**
 * Decides each item by its `importMode` (case-insensitive): `create`, `update`, `updateIfMatchETag`,
 * `createOrUpdate`, `updateTwin`, `updateTwinIfMatchETag`, `delete`, `deleteIfMatchETag`.
 * Given `tags` (or `properties.desired`) overwrite the twin's, as an import does.
 */
export function planBulkOperation(items: readonly BulkItem[], existing: ReadonlyMap<string, DeviceRow>): BulkPlan {
  const plan: BulkPlan = { writes: [], deletes: [], errors: [], applied: [] };
  const seen = new Set<string>();
  for (const item of items) {
    const id = typeof item.id === 'string' ? item.id : '';
    const mode = typeof item.importMode === 'string' ? item.importMode.toLowerCase() : 'create';
    const fail = (errorCode: string, errorStatus: string): void => {
      plan.errors.push({ deviceId: id, errorCode, errorStatus });
    };
    if (!id) {
      fail('ArgumentNull', 'the device id is missing');
      continue;
    }
    if (seen.has(id)) {
      fail('DeviceDefinedMultipleTimes', `device ${id} appears more than once in the request`);
      continue;
    }
    seen.add(id);
    const current = existing.get(id);
    const requiresEtag = mode.endsWith('ifmatchetag');
    const expectedEtag = unquoteEtag(typeof item.eTag === 'string' ? item.eTag : undefined);
    const expectedTwinEtag = unquoteEtag(typeof item.twinETag === 'string' ? item.twinETag : undefined);

    switch (mode) {
      case 'create':
      case 'createorupdate':
        if (current && mode === 'create') {
          fail('DeviceAlreadyExists', `device ${id} already exists`);
          continue;
        }
        plan.writes.push(current ? overwrite(current, item, true) : created(id, item));
        break;
      case 'update':
      case 'updateifmatchetag':
      case 'updatetwin':
      case 'updatetwinifmatchetag': {
        if (!current) {
          fail('DeviceNotFound', `device ${id} is not registered`);
          continue;
        }
        const twinMode = mode.startsWith('updatetwin');
        const actual = twinMode ? twinEtag(Number(current.twin_version)) : current.etag;
        const expected = twinMode ? expectedTwinEtag : expectedEtag;
        if (requiresEtag && expected !== '*' && expected !== actual) {
          fail('EtagDoesNotMatch', `the etag of device ${id} does not match`);
          continue;
        }
        plan.writes.push(overwrite(current, item, !twinMode));
        break;
      }
      case 'delete':
      case 'deleteifmatchetag':
        if (!current) {
          fail('DeviceNotFound', `device ${id} is not registered`);
          continue;
        }
        if (requiresEtag && expectedEtag !== '*' && expectedEtag !== current.etag) {
          fail('EtagDoesNotMatch', `the etag of device ${id} does not match`);
          continue;
        }
        plan.deletes.push(id);
        break;
      default:
        fail('ArgumentInvalid', `unsupported importMode ${String(item.importMode)}`);
        continue;
    }
    plan.applied.push({ id, mode, body: item });
  }
  return plan;
}

function givenDesired(item: BulkItem): JsonObject | undefined {
  return isJsonObject(item.properties) && isJsonObject(item.properties['desired'])
    ? stripMetadata(item.properties['desired'])
    : undefined;
}

function created(id: string, item: BulkItem): BulkWrite {
  return {
    id,
    etag: newDeviceEtag(),
    generation_id: newGenerationId(),
    tags: isJsonObject(item.tags) ? item.tags : {},
    desired: givenDesired(item) ?? {},
    desired_version: 1,
    twin_version: 1,
  };
}

function overwrite(current: DeviceRow, item: BulkItem, identityChanges: boolean): BulkWrite {
  const desired = givenDesired(item);
  return {
    id: current.id,
    etag: identityChanges ? newDeviceEtag() : current.etag,
    generation_id: current.generation_id,
    tags: isJsonObject(item.tags) ? item.tags : current.tags,
    desired: desired ?? current.desired,
    desired_version: Number(current.desired_version) + (desired ? 1 : 0),
    twin_version: Number(current.twin_version) + 1,
  };
}

function stripMetadata(desired: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(desired).filter(([key]) => !key.startsWith('$')));
}
