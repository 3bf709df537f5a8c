import { Controller, Logger } from '@nestjs/common';
import { FleetEvent, TOPICS } from '@fleetjobs/contracts';
import { ConsumedMessage, ConsumeEvents } from '@fleetjobs/messaging';
import { parseOrSkip } from '../shared/parse-or-skip';
import { devicesToSync } from './hub-sync.plan';
import { SyncDevicesToHubHandler } from './sync-devices-to-hub.handler';

/**
 * Keeps the hub's registry in step with devices changed through the API (group
 * `device-set.hub-sync`): every device a batch touched is brought to its current state. Registry
 * calls are idempotent and skipped for devices already in step, so a redelivered batch costs
 * little. Retries are bounded: a device the hub refuses or keeps failing is recorded and the
 * partition moves on. On shutdown a waiting batch is handed back undone.
 */
@Controller()
export class HubSyncConsumer {
  private readonly logger = new Logger(HubSyncConsumer.name);

  constructor(private readonly syncToHub: SyncDevicesToHubHandler) {}

  @ConsumeEvents(TOPICS.devices, 'device-set.hub-sync')
  async handle(batch: ConsumedMessage[]): Promise<void> {
    const events = batch.map((message) => parseOrSkip(message, this.logger)).filter((event): event is FleetEvent => event !== null);
    const ids = devicesToSync(events);
    if (ids.length === 0) return;
    if (!this.syncToHub.connected) {
      this.logger.warn(`no hub is configured; ${ids.length} devices not synced`);
      return;
    }
    await this.syncToHub.sync(ids, { source: 'background', deleteMissing: true });
  }
}
