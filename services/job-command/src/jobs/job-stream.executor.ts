import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope, parseEvent, TOPICS } from '@fleetjobs/contracts';
import {
  CommandMetadata,
  EventSourcedCommandHandler,
  PgEventStore,
  SqlExecutor,
  UNIT_OF_WORK,
  UnitOfWork,
} from '@fleetjobs/persistence-pg';
import { JOB_COMMAND_SCHEMA, JOB_COMMAND_SOURCE } from '../job-command.schema';
import { JobCommand, JobEvent, jobDecider, JobState } from './job.decider';

const MAX_ATTEMPTS = 5;

export interface Decision {
  state: JobState;
  events: JobEvent[];
}

/**
 * Decisions on a job's stream through the generic event-sourced command handler: read, fold,
 * decide, append at the version read with the outbox rows in one unit of work; a concurrent
 * append makes the whole decision be taken again on fresh state.
 */
@Injectable()
export class JobStreamExecutor {
  private readonly handler: EventSourcedCommandHandler<JobCommand, JobEvent, JobState>;

  constructor(@Inject(UNIT_OF_WORK) uow: UnitOfWork) {
    this.handler = new EventSourcedCommandHandler(jobDecider, {
      store: new PgEventStore(JOB_COMMAND_SCHEMA, TOPICS.jobs),
      uow,
      source: JOB_COMMAND_SOURCE,
      toEvent: toJobEvent,
      maxAttempts: MAX_ATTEMPTS,
    });
  }

  load(jobId: string): Promise<JobState> {
    return this.handler.load(jobId);
  }

  /**
   * `metadata.actor`, who sent the command, goes on every decided event. `alsoInTransaction`
   * writes more that must commit together with the decided events.
   */
  async execute(
    jobId: string,
    decide: (state: JobState) => JobEvent[],
    metadata: CommandMetadata = {},
    alsoInTransaction?: (tx: SqlExecutor, decision: Decision) => Promise<void>,
  ): Promise<Decision> {
    const handled = await this.handler.handle(jobId, decide, metadata, {
      alsoInTx: alsoInTransaction && ((tx, events, state) => alsoInTransaction(tx.manager, { state, events })),
    });
    return { state: handled.state, events: handled.events };
  }
}

function toJobEvent(envelope: EventEnvelope): JobEvent | null {
  const parsed = parseEvent(envelope);
  return parsed ? ({ type: parsed.type, data: parsed.data } as JobEvent) : null;
}
