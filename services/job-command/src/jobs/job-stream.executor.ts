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
import { activeJobsChange, mayBeginAnotherJob, readMaxActiveJobs } from './active-jobs/active-jobs.limit';
import { activeJobsStore } from './active-jobs/active-jobs.store';
import { JobCommand, JobEvent, jobDecider, JobState } from './job.decider';
import { TooManyActiveJobs } from './job.errors';
import { dueStartsStore } from './schedule/due-starts.store';

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
  private readonly maxActiveJobs = readMaxActiveJobs(process.env);

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
      alsoInTx: async (tx, events, state) => {
        await this.keepActiveJobs(tx.manager, jobId, events);
        await dueStartsStore.keep(tx.manager, jobId, events);
        await alsoInTransaction?.(tx.manager, { state, events });
      },
    });
    return { state: handled.state, events: handled.events };
  }

  /** A job that begins takes a place among the active jobs, if one is free; one that ends gives it back. */
  private async keepActiveJobs(tx: SqlExecutor, jobId: string, events: JobEvent[]): Promise<void> {
    switch (activeJobsChange(events)) {
      case 'begins':
        if (!mayBeginAnotherJob(await activeJobsStore.countForBegin(tx), this.maxActiveJobs)) throw new TooManyActiveJobs(this.maxActiveJobs);
        return activeJobsStore.begin(tx, jobId);
      case 'ends':
        return activeJobsStore.end(tx, jobId);
      case 'none':
        return;
    }
  }
}

function toJobEvent(envelope: EventEnvelope): JobEvent | null {
  const parsed = parseEvent(envelope);
  return parsed ? ({ type: parsed.type, data: parsed.data } as JobEvent) : null;
}
