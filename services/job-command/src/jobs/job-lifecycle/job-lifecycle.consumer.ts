import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { CE_HEADERS, parseWireMessage, TOPICS } from '@fleetjobs/contracts';
import { ConsumedMessage, ConsumeEvents } from '@fleetjobs/messaging';
import { decide, JobCommand } from '../job.decider';
import { JobStreamExecutor } from '../job-stream.executor';

const LIFECYCLE_INPUTS = new Set(['JobTargetingCompleted', 'JobTargetingFailed', 'JobDispatchFinished']);

/**
 * Moves jobs through their lifecycle from what the other services report: targets resolved
 * (start), targets unresolvable (fail), every device done (complete or fail). The decider makes
 * each step idempotent, so a redelivered report decides nothing new.
 */
@Controller()
export class JobLifecycleConsumer {
  constructor(private readonly executor: JobStreamExecutor) {}

  @ConsumeEvents(TOPICS.jobs, 'job-command.lifecycle')
  async onJobEvents(@Payload() batch: ConsumedMessage[]): Promise<void> {
    for (const message of batch) {
      if (!LIFECYCLE_INPUTS.has(message.headers[CE_HEADERS.type] ?? '')) continue;
      const event = parseWireMessage(message);
      const command = event && toCommand(event);
      if (!command) continue;
      await this.executor.execute(command.jobId, (state) => decide(command, state), {
        correlationId: event.correlationId,
        causationId: event.id,
      });
    }
  }
}

function toCommand(event: NonNullable<ReturnType<typeof parseWireMessage>>): JobCommand | null {
  const now = new Date().toISOString();
  switch (event.type) {
    case 'JobTargetingCompleted':
      return { type: 'StartJob', jobId: event.data.jobId, total: event.data.total, now };
    case 'JobTargetingFailed':
      return { type: 'FailTargeting', jobId: event.data.jobId, reason: event.data.reason, now };
    case 'JobDispatchFinished': {
      const { jobId, completed, failed, notStarted } = event.data;
      return { type: 'FinishJob', jobId, completed, failed, notStarted, now };
    }
    default:
      return null;
  }
}
