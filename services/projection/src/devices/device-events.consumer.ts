import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS } from '@fleetjobs/contracts';
import { ConsumedMessage, ConsumeEvents, EventBatchConsumer } from '@fleetjobs/messaging';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { PROJECTION_GROUP, projectionEventConsumer } from '../projection-messages';
import { batchSeconds, projectedEvents } from '../projection.metrics';
import { DeletedDevicesHandler } from './deleted-devices.handler';

/** Device deletions and registrations, which mark the devices of jobs. */
@Controller()
export class DeviceEventsConsumer {
  private readonly consumer: EventBatchConsumer;

  constructor(
    private readonly handler: DeletedDevicesHandler,
    @Inject(DATA_SOURCE) dataSource: DataSource,
  ) {
    this.consumer = projectionEventConsumer(dataSource);
  }

  @ConsumeEvents(TOPICS.devices, PROJECTION_GROUP)
  async onDeviceEvents(@Payload() batch: ConsumedMessage[]): Promise<void> {
    const stop = batchSeconds.startTimer({ topic: TOPICS.devices });
    const { handled } = await this.consumer.consume(batch, (events) => this.handler.apply(events));
    stop();
    projectedEvents.inc({ topic: TOPICS.devices }, handled);
  }
}
