import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS } from '@fleetjobs/contracts';
import { ConsumedMessage, ConsumeEvents, EventBatchConsumer } from '@fleetjobs/messaging';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { PROJECTION_GROUP, projectionEventConsumer } from '../projection-messages';
import { batchSeconds, projectedEvents } from '../projection.metrics';
import { JobBatchHandler } from './job-batch.handler';

export { PROJECTION_GROUP } from '../projection-messages';

/** Job lifecycle, targets and device outcomes (one partition's batch, in order). */
@Controller()
export class JobEventsConsumer {
  private readonly consumer: EventBatchConsumer;

  constructor(
    private readonly handler: JobBatchHandler,
    @Inject(DATA_SOURCE) dataSource: DataSource,
  ) {
    this.consumer = projectionEventConsumer(dataSource);
  }

  @ConsumeEvents(TOPICS.jobs, PROJECTION_GROUP)
  async onJobEvents(@Payload() batch: ConsumedMessage[]): Promise<void> {
    const stop = batchSeconds.startTimer({ topic: TOPICS.jobs });
    const { handled } = await this.consumer.consume(batch, (events) => this.handler.apply(events));
    stop();
    projectedEvents.inc({ topic: TOPICS.jobs }, handled);
  }
}
