import { Inject, Injectable } from '@nestjs/common';
import type { ActorRef, ScheduleCreatedData, ScheduleRecurrence } from '@fleetjobs/contracts';
import { ValidationProblem } from '@fleetjobs/http-kit';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { JOB_COMMAND_SCHEMA } from '../../job-command.schema';
import { conflict, CreateJobHandler, CreateJobRequest, CreateJobResult, creationProblem } from '../create-job/create-job.handler';
import { startAtErrors } from '../create-job/schedule.request.dto';
import { JobDefinition } from '../job.decider';
import { JobStreamExecutor } from '../job-stream.executor';
import { JobQueuePoller } from '../job-queue/job-queue.poller';
import { representJob } from '../job.representation';
import { decide, firstRunAfter, KnownSchedule, MAX_SCHEDULE_ID_LENGTH, runJobId, sameSchedule } from './recurring-schedule.decider';
import { NoOccurrenceLeft, ScheduleIdTaken } from './recurring-schedule.errors';
import { runDefinition, ScheduleStreamExecutor } from './schedule-stream.executor';

/**
 * Makes a recurring schedule from a job body with `schedule.recurrence`, and its run 1 with it,
 * in one transaction. Run 1 passes what any new job passes (its set's template, approval,
 * `onConflict`, the active-jobs limit); the answer is run 1. The same request repeated answers
 * run 1 again; another definition under the id is a conflict.
 */
@Injectable()
export class CreateScheduleHandler {
  constructor(
    private readonly schedules: ScheduleStreamExecutor,
    private readonly jobs: JobStreamExecutor,
    private readonly createJob: CreateJobHandler,
    private readonly queue: JobQueuePoller,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
  ) {}

  async handle(scheduleId: string, definition: JobDefinition, recurrence: ScheduleRecurrence, request: CreateJobRequest): Promise<CreateJobResult> {
    if (scheduleId.length > MAX_SCHEDULE_ID_LENGTH) {
      throw new ValidationProblem([{ field: 'id', message: `must be at most ${MAX_SCHEDULE_ID_LENGTH} characters for a recurring schedule, whose runs are named {id}.run-{n}` }]);
    }
    const now = new Date().toISOString();
    const asked = scheduleOf(scheduleId, definition, recurrence, request.actor ? { id: request.actor.id, name: request.actor.name } : undefined, now);
    const existing = await this.schedules.load(scheduleId);
    if (existing.status !== 'none') return this.repeated(existing, asked);
    if ((await this.jobs.load(scheduleId)).status !== 'none' || (await this.runIdsTaken(scheduleId))) throw conflict(scheduleId);
    const late = startAtErrors(asked.schedule?.startAt, new Date(now));
    if (late.length > 0) throw new ValidationProblem(late);
    const first = firstOccurrence(asked, now);
    const firstRunId = runJobId(scheduleId, 1);
    try {
      const admission = await this.createJob.admit(firstRunId, runDefinition({ schedule: asked } as KnownSchedule, first), request);
      // Made now, after its checks: its run 1 starts at the first occurrence after this.
      const createdAt = new Date().toISOString();
      const schedule: ScheduleCreatedData = { ...asked, createdAt, template: admission.template, ...(admission.approval ? { approval: admission.approval } : {}) };
      const decision = await this.schedules.execute(
        scheduleId,
        (state) => decide({ type: 'CreateSchedule', schedule }, state),
        { correlationId: request.correlationId, actor: request.actor },
        { waitingFor: admission.waitingFor },
      );
      if (decision.state.status === 'none') throw new Error('schedule missing after creation');
      if (admission.waitingFor.length > 0 && decision.events.length > 0) await this.queue.releaseDue();
      return { created: decision.events.length > 0, job: await this.run(scheduleId, 1) };
    } catch (error) {
      if (error instanceof ScheduleIdTaken) throw conflict(scheduleId);
      if (error instanceof NoOccurrenceLeft) throw noOccurrence();
      throw creationProblem(error, firstRunId);
    }
  }

  /** Whether a job already has an id its runs would take (`{id}.run-...`). */
  private async runIdsTaken(scheduleId: string): Promise<boolean> {
    const prefix = runJobId(scheduleId, 0).slice(0, -1).replace(/[\\%_]/g, (character) => `\\${character}`);
    const rows = (await this.dataSource.query(`SELECT 1 FROM ${JOB_COMMAND_SCHEMA}.events WHERE stream_id LIKE $1 LIMIT 1`, [`${prefix}%`])) as unknown[];
    return rows.length > 0;
  }

  private async repeated(existing: KnownSchedule, asked: ScheduleCreatedData): Promise<CreateJobResult> {
    if (existing.status === 'deleted' || !sameSchedule(existing.schedule, asked)) throw conflict(asked.scheduleId);
    return { created: false, job: await this.run(asked.scheduleId, 1) };
  }

  private async run(scheduleId: string, run: number) {
    const state = await this.jobs.load(runJobId(scheduleId, run));
    if (state.status === 'none') throw new Error(`run ${run} of schedule "${scheduleId}" is missing`);
    return representJob(state);
  }
}

/** The schedule's first run; a recurrence without one is a 400. */
function firstOccurrence(schedule: ScheduleCreatedData, now: string): string {
  let first: string | null;
  try {
    first = firstRunAfter(schedule, now, 0);
  } catch (error) {
    throw new ValidationProblem([{ field: 'schedule.recurrence.cron', message: `has no next occurrence: ${error instanceof Error ? error.message : String(error)}` }]);
  }
  if (first === null) throw noOccurrence();
  return first;
}

function noOccurrence(): ValidationProblem {
  return new ValidationProblem([{ field: 'schedule.recurrence', message: 'has no occurrence from the schedule’s start before its endAt: it would never run' }]);
}

/** The schedule a body asks for: the job's definition, how it repeats, from when (instants in UTC). */
function scheduleOf(scheduleId: string, definition: JobDefinition, recurrence: ScheduleRecurrence, createdBy: ActorRef | undefined, now: string): ScheduleCreatedData {
  const { displayName, description, deviceSet, devices, operations, rollout, schedule } = definition;
  return {
    scheduleId,
    displayName,
    description,
    deviceSet,
    devices,
    operations,
    template: '',
    ...(rollout ? { rollout } : {}),
    ...(schedule?.startAt || schedule?.windows ? { schedule: { ...(schedule.startAt ? { startAt: schedule.startAt } : {}), ...(schedule.windows ? { windows: schedule.windows } : {}) } } : {}),
    recurrence: {
      cron: recurrence.cron,
      ...(recurrence.timeZone !== undefined ? { timeZone: recurrence.timeZone } : {}),
      ...(recurrence.endAt !== undefined ? { endAt: new Date(recurrence.endAt).toISOString() } : {}),
      ...(recurrence.count !== undefined ? { count: recurrence.count } : {}),
    },
    createdAt: now,
    ...(createdBy ? { createdBy } : {}),
  };
}
