import { Inject, Injectable } from '@nestjs/common';
import { Actor, DeviceDeletedData, DeviceRegisteredData, TOPICS } from '@fleetjobs/contracts';
import { FieldError, UnprocessableProblem, ValidationProblem } from '@fleetjobs/http-kit';
import { OutboxWriter, SqlExecutor } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { DeviceSetOutbox } from '../device-set.outbox';
import { hubSyncRepository } from '../hub-sync/hub-sync.repository';
import { DEVICE_SET_SCHEMA } from '../device-set.schema';
import { deviceSetEvent } from '../shared/device-set-events';
import { templateRepository } from '../templates/template.repository';
import { Device, deviceRepository, UPSERT_CHUNK } from './device.repository';
import { duplicateIdErrors, validateTags } from './device.validator';

export type DeviceOrigin = DeviceRegisteredData['origin'];

export function deviceRegistered(device: Device, origin: DeviceOrigin, actor?: Actor) {
  return deviceSetEvent<'DeviceRegistered', DeviceRegisteredData>(
    'DeviceRegistered',
    device.id,
    { deviceId: device.id, displayName: device.displayName, template: device.template, tags: device.tags, origin },
    { actor },
  );
}

/**
 * Writes devices in chunks: each chunk is one multi-row upsert and its `DeviceRegistered`
 * events in the outbox, inside the caller's transaction. `actor`, who sent the command, is on
 * each event.
 */
export async function writeDevices(
  tx: SqlExecutor,
  devices: readonly Device[],
  origin: DeviceOrigin,
  actor?: Actor,
): Promise<{ created: number; updated: number }> {
  const outboxWriter = new OutboxWriter(DEVICE_SET_SCHEMA);
  const total = { created: 0, updated: 0 };
  for (let start = 0; start < devices.length; start += UPSERT_CHUNK) {
    const chunk = devices.slice(start, start + UPSERT_CHUNK);
    const { created, updated, versions } = await deviceRepository.upsertMany(tx, chunk);
    // What was just read from the hub is in the hub: no sync needs to write it back.
    if (origin === 'hub-import') await hubSyncRepository.markInStep(tx, versions);
    await outboxWriter.write(tx, TOPICS.devices, chunk.map((device) => deviceRegistered(device, origin, actor)));
    total.created += created;
    total.updated += updated;
  }
  return total;
}

/** Creates, updates and deletes devices through the API; every change is announced with who made it. */
@Injectable()
export class DeviceCommandsHandler {
  private readonly outboxWriter = new OutboxWriter(DEVICE_SET_SCHEMA);

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly outbox: DeviceSetOutbox,
  ) {}

  async register(device: Device, actor?: Actor): Promise<{ created: boolean }> {
    const invalid = validateTags(device.tags);
    if (invalid.length > 0) throw new ValidationProblem(invalid);
    const { created } = await this.dataSource.transaction(async (tx) => {
      if (!(await templateRepository.existing(tx, [device.template])).has(device.template)) {
        throw new UnprocessableProblem([{ field: 'template', message: `template "${device.template}" does not exist` }]);
      }
      return writeDevices(tx, [device], 'api', actor);
    });
    this.outbox.wake();
    return { created: created === 1 };
  }

  /**
   * Validates every device before writing any, then writes them all in one transaction.
   * Shape errors are 400, templates that do not exist 422, each named `devices[i].<field>`.
   */
  async registerBatch(devices: readonly Device[], actor?: Actor): Promise<{ created: number; updated: number }> {
    const invalid: FieldError[] = [
      ...duplicateIdErrors(
        devices.map((device) => device.id),
        'devices',
      ),
      ...devices.flatMap((device, index) => validateTags(device.tags, `devices[${index}].tags`)),
    ];
    if (invalid.length > 0) throw new ValidationProblem(invalid);
    const result = await this.dataSource.transaction(async (tx) => {
      const templates = await templateRepository.existing(tx, [...new Set(devices.map((device) => device.template))]);
      const missing = devices.flatMap((device, index) =>
        templates.has(device.template)
          ? []
          : [{ field: `devices[${index}].template`, message: `template "${device.template}" does not exist` }],
      );
      if (missing.length > 0) throw new UnprocessableProblem(missing);
      return writeDevices(tx, devices, 'api', actor);
    });
    if (devices.length > 0) this.outbox.wake();
    return result;
  }

  async delete(id: string, actor?: Actor): Promise<boolean> {
    const deleted = await this.dataSource.transaction(async (tx) => {
      if (!(await deviceRepository.delete(tx, id))) return false;
      await this.outboxWriter.write(tx, TOPICS.devices, [
        deviceSetEvent<'DeviceDeleted', DeviceDeletedData>(
          'DeviceDeleted',
          id,
          { deviceId: id, deletedAt: new Date().toISOString() },
          { actor },
        ),
      ]);
      return true;
    });
    if (deleted) this.outbox.wake();
    return deleted;
  }
}
