import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope, parseEvent, TOPICS } from '@fleetjobs/contracts';
import {
  CommandMetadata,
  EventSourcedCommandHandler,
  PgEventStore,
  SqlExecutor,
  UNIT_OF_WORK,
  UnitOfWork,
  UnitOfWorkContext,
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

/** Told, in the transaction of the decision, that a run of a recurring schedule reached its start or was stopped before it. */
export type RunPassedHook = (tx: UnitOfWorkContext, run: { scheduleId: string; jobId: string; now: string }) => Promise<void>;

export interface WithinOptions {
  /** A schedule's next run is created ahead of its start whatever the active-jobs limit says: a schedule holds at most two places. */
  ignoreActiveJobsLimit?: boolean;
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
  private runPassed: RunPassedHook | null = null;

  constructor(@Inject(UNIT_OF_WORK) uow: UnitOfWork) {
    this.handler = handlerOn(uow, MAX_ATTEMPTS);
  }

  /** The recurring schedules' hook: a run's start (or its stop before it) creates the schedule's next run in the same transaction. */
  onRunPassed(hook: RunPassedHook): void {
    this.runPassed = hook;
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
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.decideWith(this.handler, jobId, decide, metadata, {}, alsoInTransaction);
      } catch (error) {
        // A run of a recurring schedule is decided on with its schedule's stream, in either order: when two such
        // decisions meet, PostgreSQL rolls one back as a deadlock, and it is decided again on fresh state.
        if (!isDeadlock(error) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * A decision on a job's stream inside a transaction already open (another stream's decision):
   * both commit together or not at all. A concurrent append rejects the whole transaction, which
   * its own executor then takes again on fresh state.
   */
  executeWithin(
    tx: UnitOfWorkContext,
    jobId: string,
    decide: (state: JobState) => JobEvent[],
    metadata: CommandMetadata = {},
    options: WithinOptions = {},
    alsoInTransaction?: (tx: SqlExecutor, decision: Decision) => Promise<void>,
  ): Promise<Decision> {
    return this.decideWith(handlerOn(joined(tx), 1), jobId, decide, metadata, options, alsoInTransaction);
  }

  private async decideWith(
    handler: EventSourcedCommandHandler<JobCommand, JobEvent, JobState>,
    jobId: string,
    decide: (state: JobState) => JobEvent[],
    metadata: CommandMetadata,
    options: WithinOptions,
    alsoInTransaction?: (tx: SqlExecutor, decision: Decision) => Promise<void>,
  ): Promise<Decision> {
    const handled = await handler.handle(jobId, decide, metadata, {
      alsoInTx: async (tx, events, state) => {
        await this.keepActiveJobs(tx.manager, jobId, events, options);
        await dueStartsStore.keep(tx.manager, jobId, events);
        await alsoInTransaction?.(tx.manager, { state, events });
        const passedAt = state.status !== 'none' && state.scheduleRun ? runPassedAt(events, state) : null;
        if (this.runPassed && passedAt !== null && state.status !== 'none' && state.scheduleRun) {
          await this.runPassed(tx, { scheduleId: state.scheduleRun.scheduleId, jobId, now: passedAt });
        }
      },
    });
    return { state: handled.state, events: handled.events };
  }

  /** A job that begins takes a place among the active jobs, if one is free; one that ends gives it back. */
  private async keepActiveJobs(tx: SqlExecutor, jobId: string, events: JobEvent[], options: WithinOptions): Promise<void> {
    switch (activeJobsChange(events)) {
      case 'begins':
        if (options.ignoreActiveJobsLimit) return activeJobsStore.begin(tx, jobId);
        if (!mayBeginAnotherJob(await activeJobsStore.countForBegin(tx), this.maxActiveJobs)) throw new TooManyActiveJobs(this.maxActiveJobs);
        return activeJobsStore.begin(tx, jobId);
      case 'ends':
        return activeJobsStore.end(tx, jobId);
      case 'none':
        return;
    }
  }
}

function handlerOn(uow: UnitOfWork, maxAttempts: number): EventSourcedCommandHandler<JobCommand, JobEvent, JobState> {
  return new EventSourcedCommandHandler(jobDecider, {
    store: new PgEventStore(JOB_COMMAND_SCHEMA, TOPICS.jobs),
    uow,
    source: JOB_COMMAND_SOURCE,
    toEvent: toJobEvent,
    maxAttempts,
  });
}

/** PostgreSQL rolled the transaction back to break a deadlock: nothing of it was written. */
export function isDeadlock(error: unknown): boolean {
  const failed = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  return (failed?.driverError?.code ?? failed?.code) === '40P01';
}

/** A unit of work that is the transaction already open. */
export function joined(tx: UnitOfWorkContext): UnitOfWork {
  return { run: <T>(work: (context: UnitOfWorkContext) => Promise<T>) => work(tx) } as UnitOfWork;
}

/** When a run's start came, or it was stopped before its start (its schedule's next run is due then); null otherwise. */
function runPassedAt(events: readonly JobEvent[], state: Exclude<JobState, { status: 'none' }>): string | null {
  for (const event of events) {
    if (event.type === 'JobStartReached') return event.data.reachedAt;
    if (event.type === 'JobStopped' && !state.startReached) return event.data.stoppedAt;
  }
  return null;
}

function toJobEvent(envelope: EventEnvelope): JobEvent | null {
  const parsed = parseEvent(envelope);
  return parsed ? ({ type: parsed.type, data: parsed.data } as JobEvent) : null;
}
