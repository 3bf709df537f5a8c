import { Controller, Inject } from '@nestjs/common';
import { TOPICS } from '@fleetjobs/contracts';
import { ConsumedMessage, ConsumeEvents, EventBatchConsumer } from '@fleetjobs/messaging';
import { PgDeadLetterStore } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { DEVICE_SET_SCHEMA } from '../device-set.schema';
import { ResolveJobTargetsHandler } from './resolve-job-targets.handler';

const TARGETS_GROUP = 'device-set.targets';

/** Resolves the targets of every created job (group `device-set.targets`); other job events are ignored. */
@Controller()
export class JobTargetsConsumer {
  private readonly consumer: EventBatchConsumer<'JobCreated'>;

  constructor(
    private readonly resolver: ResolveJobTargetsHandler,
    @Inject(DATA_SOURCE) dataSource: DataSource,
  ) {
    this.consumer = new EventBatchConsumer({
      group: TARGETS_GROUP,
      types: ['JobCreated'],
      deadLetters: new PgDeadLetterStore(dataSource, DEVICE_SET_SCHEMA),
    });
  }

  @ConsumeEvents(TOPICS.jobs, TARGETS_GROUP)
  async handle(batch: ConsumedMessage[]): Promise<void> {
    await this.consumer.consume(batch, async (events) => {
      for (const event of events) await this.resolver.resolve(event);
    });
  }
}
