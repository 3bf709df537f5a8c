import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Actor, isValidId } from '@fleetjobs/contracts';
import { DEVICE_GATEWAY, DeviceGateway, HubDevice } from '@fleetjobs/device-gateway';
import { ProblemException } from '@fleetjobs/http-kit';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { analyzeWhenGrown } from '@fleetjobs/persistence-pg';
import { DeviceSetOutbox } from '../device-set.outbox';
import { TABLES } from '../device-set.schema';
import { MAX_DISPLAY_NAME } from '../shared/display-name.decorator';
import { isStorableText } from '../shared/storable-json';
import { writeDevices } from './device-commands.handler';
import { Device } from './device.repository';
import { validateTags } from './device.validator';

/** Devices read from the hub per page, and written per transaction. */
export const IMPORT_PAGE_SIZE = 1000;

/** A hub device as Fleetjobs keeps it, or `null` when it cannot be imported (no template tag, bad id or tags). */
export function fromHubDevice(hub: HubDevice): Device | null {
  if (!isValidId(hub.deviceId) || typeof hub.template !== 'string' || !isValidId(hub.template)) return null;
  const displayName = hub.displayName ?? hub.deviceId;
  if (displayName.length < 1 || displayName.length > MAX_DISPLAY_NAME || !isStorableText(displayName)) return null;
  const tags = hub.tags ?? {};
  if (validateTags(tags).length > 0) return null;
  return { id: hub.deviceId, displayName, template: hub.template, tags };
}

/**
 * Imports the hub's registry page by page: each page is upserted in its own transaction with
 * `DeviceRegistered` (origin `hub-import`, which the hub sync leaves alone). Only one page is
 * held at a time. Devices whose twin tags carry no template are skipped and counted. `actor`, who
 * asked for the import, is on every event.
 */
@Injectable()
export class ImportDevicesHandler {
  private readonly logger = new Logger(ImportDevicesHandler.name);

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly outbox: DeviceSetOutbox,
    @Optional() @Inject(DEVICE_GATEWAY) private readonly gateway?: DeviceGateway,
  ) {}

  async importAll(actor?: Actor): Promise<{ imported: number; skipped: number }> {
    if (!this.gateway) throw new ProblemException(503, 'No hub', 'This deployment is not connected to a hub.');
    let imported = 0;
    let skipped = 0;
    try {
      for await (const page of this.gateway.listDevices(IMPORT_PAGE_SIZE)) {
        const byId = new Map<string, Device>();
        for (const hubDevice of page) {
          const device = fromHubDevice(hubDevice);
          if (device) byId.set(device.id, device);
          else skipped += 1;
        }
        if (byId.size === 0) continue;
        await this.dataSource.transaction((tx) => writeDevices(tx, [...byId.values()], 'hub-import', actor));
        this.outbox.wake();
        imported += byId.size;
      }
    } catch (error) {
      if (error instanceof ProblemException) throw error;
      this.logger.warn(`hub import stopped after ${imported} devices: ${String(error)}`);
      throw new ProblemException(
        502,
        'Hub unavailable',
        `The hub could not be read (${imported} devices were imported before): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    // A fleet just imported is what the next job pages through: its plans need the new size.
    await analyzeWhenGrown(this.dataSource, TABLES.devices);
    return { imported, skipped };
  }
}
