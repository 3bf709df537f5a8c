import { Controller, Inject, Logger } from '@nestjs/common';
import { TOPICS } from '@fleetjobs/contracts';
import { ConsumedMessage, ConsumeEvents, EventBatchConsumer } from '@fleetjobs/messaging';
import { PgDeadLetterStore } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { DEVICE_SET_SCHEMA } from '../device-set.schema';
import { devicesToSync } from './hub-sync.plan';
import { SyncDevicesToHubHandler } from './sync-devices-to-hub.handler';

const HUB_SYNC_GROUP = 'device-set.hub-sync';

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
  private readonly consumer: EventBatchConsumer<'DeviceRegistered' | 'DeviceDeleted'>;

  constructor(
    private readonly syncToHub: SyncDevicesToHubHandler,
    @Inject(DATA_SOURCE) dataSource: DataSource,
  ) {
    this.consumer = new EventBatchConsumer({
      group: HUB_SYNC_GROUP,
      types: ['DeviceRegistered', 'DeviceDeleted'],
      deadLetters: new PgDeadLetterStore(dataSource, DEVICE_SET_SCHEMA),
    });
  }

  @ConsumeEvents(TOPICS.devices, HUB_SYNC_GROUP)
  async handle(batch: ConsumedMessage[]): Promise<void> {
    await this.consumer.consume(batch, async (events) => {
      const ids = devicesToSync(events);
      if (ids.length === 0) return;
      if (!this.syncToHub.connected) {
        this.logger.warn(`no hub is configured; ${ids.length} devices not synced`);
        return;
      }
      await this.syncToHub.sync(ids, { source: 'background', deleteMissing: true });
    });
  }
}
