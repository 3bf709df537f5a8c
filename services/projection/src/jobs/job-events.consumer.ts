import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS } from '@fleetjobs/contracts';
import { ConsumedMessage, ConsumeEvents } from '@fleetjobs/messaging';
import { parseBatch } from '../projection-messages';
import { batchSeconds, projectedEvents } from '../projection.metrics';
import { JobBatchHandler } from './job-batch.handler';

/** Consumer group of the projection on every topic it reads. */
export const PROJECTION_GROUP = 'projection';

/** Job lifecycle, targets and device outcomes (one partition's batch, in order). */
@Controller()
export class JobEventsConsumer {
  constructor(private readonly handler: JobBatchHandler) {}

  @ConsumeEvents(TOPICS.jobs, PROJECTION_GROUP)
  async onJobEvents(@Payload() batch: ConsumedMessage[]): Promise<void> {
    const stop = batchSeconds.startTimer({ topic: TOPICS.jobs });
    await this.handler.apply(parseBatch(batch));
    stop();
    projectedEvents.inc({ topic: TOPICS.jobs }, batch.length);
  }
}
