import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS } from '@fleetjobs/contracts';
import { ConsumedMessage, ConsumeEvents, EventBatchConsumer, FleetEventOf } from '@fleetjobs/messaging';
import { PgDeadLetterStore } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { JOB_COMMAND_SCHEMA } from '../../job-command.schema';
import { decide, JobCommand } from '../job.decider';
import { JobStreamExecutor } from '../job-stream.executor';

const LIFECYCLE_GROUP = 'job-command.lifecycle';
const LIFECYCLE_INPUTS = ['JobTargetingCompleted', 'JobTargetingFailed', 'JobDispatchFinished'] as const;
type LifecycleInput = FleetEventOf<(typeof LIFECYCLE_INPUTS)[number]>;

/**
 * Moves jobs through their lifecycle from what the other services report: targets resolved
 * (start), targets unresolvable (fail), every device done (complete or fail). The decider makes
 * each step idempotent, so a redelivered report decides nothing new.
 */
@Controller()
export class JobLifecycleConsumer {
  private readonly consumer: EventBatchConsumer<(typeof LIFECYCLE_INPUTS)[number]>;

  constructor(
    private readonly executor: JobStreamExecutor,
    @Inject(DATA_SOURCE) dataSource: DataSource,
  ) {
    this.consumer = new EventBatchConsumer({
      group: LIFECYCLE_GROUP,
      types: LIFECYCLE_INPUTS,
      deadLetters: new PgDeadLetterStore(dataSource, JOB_COMMAND_SCHEMA),
    });
  }

  @ConsumeEvents(TOPICS.jobLifecycle, LIFECYCLE_GROUP)
  async onJobEvents(@Payload() batch: ConsumedMessage[]): Promise<void> {
    await this.consumer.consume(batch, async (events) => {
      for (const event of events) {
        const command = toCommand(event);
        await this.executor.execute(command.jobId, (state) => decide(command, state), {
          correlationId: event.correlationId,
          causationId: event.id,
        });
      }
    });
  }
}

function toCommand(event: LifecycleInput): JobCommand {
  const now = new Date().toISOString();
  switch (event.type) {
    case 'JobTargetingCompleted':
      return { type: 'StartJob', jobId: event.data.jobId, total: event.data.total, now };
    case 'JobTargetingFailed':
      return { type: 'FailTargeting', jobId: event.data.jobId, reason: event.data.reason, now };
    case 'JobDispatchFinished': {
      const { jobId, completed, failed, notStarted, abortReason } = event.data;
      return { type: 'FinishJob', jobId, completed, failed, notStarted, now, ...(abortReason ? { abortReason } : {}) };
    }
  }
}
