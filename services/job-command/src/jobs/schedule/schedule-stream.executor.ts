import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventEnvelope, parseEvent, scheduleStreamId, TOPICS } from '@fleetjobs/contracts';
import {
  CommandMetadata,
  EventSourcedCommandHandler,
  JobControlStore,
  PgEventStore,
  UNIT_OF_WORK,
  UnitOfWork,
  UnitOfWorkContext,
} from '@fleetjobs/persistence-pg';
import { JOB_COMMAND_SCHEMA, JOB_COMMAND_SOURCE } from '../../job-command.schema';
import { decide as decideJob, JobDefinition } from '../job.decider';
import { JobAlreadyEnded, JobNotFound } from '../job.errors';
import { jobQueueStore } from '../job-queue/job-queue.store';
import { isDeadlock, joined, JobStreamExecutor } from '../job-stream.executor';
import { KnownSchedule, ScheduleCommand, scheduleDecider, ScheduleEvent, ScheduleState } from './recurring-schedule.decider';
import { schedulesStore } from './schedules.store';

const MAX_ATTEMPTS = 5;
const SCHEDULE_EVENT_TYPES = new Set<string>(['ScheduleCreated', 'ScheduleRunCreated', 'SchedulePaused', 'ScheduleResumed', 'ScheduleEnded', 'ScheduleDeleted']);

export interface ScheduleDecision {
  state: ScheduleState;
  events: ScheduleEvent[];
}

/** What only the request that creates a schedule knows about its first run. */
export interface FirstRun {
  /** The active jobs run 1 is queued behind (the body's `onConflict: queue`). */
  waitingFor: string[];
}

/**
 * Decisions on a schedule's stream (`schedules/{id}`), and in the same transaction what they
 * mean for its runs: a run created is a job created, pending until its start; a pause or a
 * delete stops the pending run; the schedules table follows. A run's start (or its stop before
 * it), decided on the run's stream, creates the next run in that transaction (the job stream's
 * hook), so no run is lost across a crash or made twice by processes deciding at once: a
 * concurrent append on either stream rolls back both, and the decision is taken again.
 */
@Injectable()
export class ScheduleStreamExecutor {
  private readonly logger = new Logger(ScheduleStreamExecutor.name);
  private readonly handler: EventSourcedCommandHandler<ScheduleCommand, ScheduleEvent, ScheduleState>;
  private readonly control = new JobControlStore(JOB_COMMAND_SCHEMA);

  constructor(
    @Inject(UNIT_OF_WORK) uow: UnitOfWork,
    private readonly jobs: JobStreamExecutor,
  ) {
    this.handler = handlerOn(uow, MAX_ATTEMPTS);
    jobs.onRunPassed((tx, run) => this.passRun(tx, run.scheduleId, run.jobId, run.now));
  }

  load(scheduleId: string): Promise<ScheduleState> {
    return this.handler.load(scheduleStreamId(scheduleId));
  }

  async execute(scheduleId: string, decide: (state: ScheduleState) => ScheduleEvent[], metadata: CommandMetadata = {}, firstRun?: FirstRun): Promise<ScheduleDecision> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const handled = await this.handler.handle(scheduleStreamId(scheduleId), decide, metadata, {
          alsoInTx: (tx, events, state) => this.carryOut(tx, events, state, metadata, firstRun),
        });
        return { state: handled.state, events: handled.events };
      } catch (error) {
        // A pause or delete writes the schedule's stream, then its run's; a run's start the other way round: when
        // both meet, PostgreSQL rolls one back as a deadlock, and it is decided again on fresh state.
        if (!isDeadlock(error) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /** Run `jobId` of the schedule passed (started, or stopped before its start): its next run, or its end. */
  private async passRun(tx: UnitOfWorkContext, scheduleId: string, jobId: string, now: string): Promise<void> {
    await handlerOn(joined(tx), 1).handle(
      scheduleStreamId(scheduleId),
      (state) => scheduleDecider.decide({ type: 'PassRun', scheduleId, jobId, now }, state),
      { correlationId: scheduleId },
      { alsoInTx: (inner, events, state) => this.carryOut(inner, events, state, { correlationId: scheduleId }) },
    );
  }

  private async carryOut(tx: UnitOfWorkContext, events: ScheduleEvent[], state: ScheduleState, metadata: CommandMetadata, firstRun?: FirstRun): Promise<void> {
    if (events.length === 0 || state.status === 'none') return;
    for (const event of events) {
      if (event.type === 'ScheduleRunCreated') {
        const { jobId, run, startAt } = event.data;
        // Later runs wait for the run before them, so that two runs of a schedule never overlap.
        const waitingFor = run === 1 ? (firstRun?.waitingFor ?? []) : state.lastRunId ? [state.lastRunId] : [];
        await this.createRun(tx, state, { jobId, run, startAt, waitingFor }, metadata);
      } else if ((event.type === 'SchedulePaused' || event.type === 'ScheduleDeleted') && event.data.stoppedRunId) {
        await this.stopRun(tx, event.data.stoppedRunId, event.type === 'SchedulePaused' ? 'its schedule was paused' : 'its schedule was deleted', metadata);
      }
    }
    await schedulesStore.keep(tx.manager, state);
  }

  private async createRun(
    tx: UnitOfWorkContext,
    state: KnownSchedule,
    run: { jobId: string; run: number; startAt: string; waitingFor: string[] },
    metadata: CommandMetadata,
  ): Promise<void> {
    const { schedule } = state;
    await this.jobs.executeWithin(
      tx,
      run.jobId,
      (job) =>
        decideJob(
          {
            type: 'CreateJob',
            jobId: run.jobId,
            definition: runDefinition(state, run.startAt),
            template: schedule.template,
            // Run 1 is made with its schedule, at the same time.
            now: run.run === 1 ? schedule.createdAt : new Date().toISOString(),
            ...(schedule.approval ? { approval: schedule.approval } : {}),
            ...(schedule.createdBy ? { createdBy: schedule.createdBy } : {}),
            ...(run.waitingFor.length > 0 ? { waitingFor: run.waitingFor } : {}),
            scheduleRun: { scheduleId: schedule.scheduleId, run: run.run },
          },
          job,
        ),
      metadata,
      // Run 1 is created by a request, under the limit; a later run is created ahead of its start.
      { ignoreActiveJobsLimit: run.run > 1 },
      async (sql, { events }) => {
        if (events.length > 0) await jobQueueStore.add(sql, run.jobId, run.waitingFor);
      },
    );
  }

  private async stopRun(tx: UnitOfWorkContext, jobId: string, reason: string, metadata: CommandMetadata): Promise<void> {
    try {
      await this.jobs.executeWithin(tx, jobId, (job) => decideJob({ type: 'StopJob', jobId, now: new Date().toISOString() }, job), metadata);
      await this.control.halt(tx.manager, jobId, reason);
    } catch (error) {
      // Stopped, or ended, by someone already: nothing of it is left to stop.
      if (!(error instanceof JobAlreadyEnded) && !(error instanceof JobNotFound)) throw error;
      this.logger.debug(`run ${jobId} was not stopped: ${String(error)}`);
    }
  }
}

/** A run does what its schedule says, starting at its occurrence, inside the schedule's windows. */
export function runDefinition({ schedule }: KnownSchedule, startAt: string): JobDefinition {
  return {
    displayName: schedule.displayName,
    description: schedule.description,
    deviceSet: schedule.deviceSet,
    devices: schedule.devices,
    operations: schedule.operations,
    ...(schedule.rollout ? { rollout: schedule.rollout } : {}),
    schedule: { startAt, ...(schedule.schedule?.windows ? { windows: schedule.schedule.windows } : {}) },
  };
}

function handlerOn(uow: UnitOfWork, maxAttempts: number): EventSourcedCommandHandler<ScheduleCommand, ScheduleEvent, ScheduleState> {
  return new EventSourcedCommandHandler(scheduleDecider, {
    store: new PgEventStore(JOB_COMMAND_SCHEMA, TOPICS.jobs),
    uow,
    source: JOB_COMMAND_SOURCE,
    toEvent: toScheduleEvent,
    maxAttempts,
  });
}

function toScheduleEvent(envelope: EventEnvelope): ScheduleEvent | null {
  if (!SCHEDULE_EVENT_TYPES.has(envelope.type)) return null;
  const parsed = parseEvent(envelope);
  return parsed ? ({ type: parsed.type, data: parsed.data } as ScheduleEvent) : null;
}
