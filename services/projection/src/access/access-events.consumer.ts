import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS } from '@fleetjobs/contracts';
import { ConsumedMessage, ConsumeEvents, EventBatchConsumer } from '@fleetjobs/messaging';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { AuditEntriesHandler } from '../audit/audit-entries.handler';
import { PROJECTION_GROUP, projectionEventConsumer } from '../projection-messages';
import { batchSeconds, projectedEvents } from '../projection.metrics';

/** API tokens created and revoked: the projection keeps them for the audit only. */
@Controller()
export class AccessEventsConsumer {
  private readonly consumer: EventBatchConsumer;

  constructor(
    private readonly audit: AuditEntriesHandler,
    @Inject(DATA_SOURCE) dataSource: DataSource,
  ) {
    this.consumer = projectionEventConsumer(dataSource);
  }

  @ConsumeEvents(TOPICS.access, PROJECTION_GROUP)
  async onAccessEvents(@Payload() batch: ConsumedMessage[]): Promise<void> {
    const stop = batchSeconds.startTimer({ topic: TOPICS.access });
    const { handled } = await this.consumer.consume(batch, (events) => this.audit.apply(events));
    stop();
    projectedEvents.inc({ topic: TOPICS.access }, handled);
  }
}
