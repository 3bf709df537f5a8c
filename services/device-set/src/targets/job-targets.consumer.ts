import { Controller, Inject } from '@nestjs/common';
import { TOPICS } from '@fleetjobs/contracts';
import { ConsumedMessage, ConsumeEvents, EventBatchConsumer } from '@fleetjobs/messaging';
import { PgDeadLetterStore } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { DEVICE_SET_SCHEMA } from '../device-set.schema';
import { ResolveJobTargetsHandler } from './resolve-job-targets.handler';

const TARGETS_GROUP = 'device-set.targets';

const TARGETS_INPUTS = ['JobCreated', 'JobApproved', 'JobStartReached', 'JobReleased', 'JobStopped'] as const;

/**
 * Resolves the targets of every created job (group `device-set.targets`), or of a job that needs
 * approval once it is approved, or of a scheduled job once its start is reached; a stop before drops it. Other job events are ignored.
 */
@Controller()
export class JobTargetsConsumer {
  private readonly consumer: EventBatchConsumer<(typeof TARGETS_INPUTS)[number]>;

  constructor(
    private readonly resolver: ResolveJobTargetsHandler,
    @Inject(DATA_SOURCE) dataSource: DataSource,
  ) {
    this.consumer = new EventBatchConsumer({
      group: TARGETS_GROUP,
      types: TARGETS_INPUTS,
      deadLetters: new PgDeadLetterStore(dataSource, DEVICE_SET_SCHEMA),
    });
  }

  @ConsumeEvents(TOPICS.jobLifecycle, TARGETS_GROUP)
  async handle(batch: ConsumedMessage[]): Promise<void> {
    await this.consumer.consume(batch, async (events) => {
      for (const event of events) {
        if (event.type === 'JobCreated') await this.resolver.resolve(event);
        else if (event.type === 'JobApproved') await this.resolver.approve(event);
        else if (event.type === 'JobStartReached') await this.resolver.startReached(event);
        else if (event.type === 'JobReleased') await this.resolver.released(event);
        else await this.resolver.dropStopped(event);
      }
    });
  }
}
