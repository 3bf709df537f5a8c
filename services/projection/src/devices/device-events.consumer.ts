import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS } from '@fleetjobs/contracts';
import { ConsumedMessage, ConsumeEvents } from '@fleetjobs/messaging';
import { PROJECTION_GROUP } from '../jobs/job-events.consumer';
import { parseBatch } from '../projection-messages';
import { batchSeconds, projectedEvents } from '../projection.metrics';
import { DeletedDevicesHandler } from './deleted-devices.handler';

/** Device deletions and registrations, which mark the devices of jobs. */
@Controller()
export class DeviceEventsConsumer {
  constructor(private readonly handler: DeletedDevicesHandler) {}

  @ConsumeEvents(TOPICS.devices, PROJECTION_GROUP)
  async onDeviceEvents(@Payload() batch: ConsumedMessage[]): Promise<void> {
    const stop = batchSeconds.startTimer({ topic: TOPICS.devices });
    await this.handler.apply(parseBatch(batch));
    stop();
    projectedEvents.inc({ topic: TOPICS.devices }, batch.length);
  }
}
