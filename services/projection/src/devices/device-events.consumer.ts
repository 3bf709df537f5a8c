import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS } from '@fleetjobs/contracts';
import { ConsumedMessage, ConsumeEvents, EventBatchConsumer } from '@fleetjobs/messaging';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { AuditEntriesHandler } from '../audit/audit-entries.handler';
import { PROJECTION_GROUP, projectionEventConsumer } from '../projection-messages';
import { batchSeconds, projectedEvents } from '../projection.metrics';
import { DeletedDevicesHandler } from './deleted-devices.handler';

/** Device deletions and registrations, which mark the devices of jobs; the commands among them, for the audit. */
@Controller()
export class DeviceEventsConsumer {
  private readonly consumer: EventBatchConsumer;

  constructor(
    private readonly handler: DeletedDevicesHandler,
    @Inject(DATA_SOURCE) dataSource: DataSource,
    private readonly audit: AuditEntriesHandler,
  ) {
    this.consumer = projectionEventConsumer(dataSource);
  }

  @ConsumeEvents(TOPICS.devices, PROJECTION_GROUP)
  async onDeviceEvents(@Payload() batch: ConsumedMessage[]): Promise<void> {
    const stop = batchSeconds.startTimer({ topic: TOPICS.devices });
    const { handled } = await this.consumer.consume(batch, async (events) => {
      await this.handler.apply(events);
      await this.audit.apply(events);
    });
    stop();
    projectedEvents.inc({ topic: TOPICS.devices }, handled);
  }
}
