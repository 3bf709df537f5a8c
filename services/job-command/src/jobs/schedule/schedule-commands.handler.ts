import { Injectable } from '@nestjs/common';
import type { Actor } from '@fleetjobs/contracts';
import { ConflictProblem, NotFoundProblem } from '@fleetjobs/http-kit';
import { decide, KnownSchedule } from './recurring-schedule.decider';
import { ScheduleAlreadyEnded, ScheduleNotFound } from './recurring-schedule.errors';
import { representSchedule, ScheduleRepresentation } from './schedule.representation';
import { ScheduleStreamExecutor } from './schedule-stream.executor';

type Asked = 'PauseSchedule' | 'ResumeSchedule' | 'DeleteSchedule';

/**
 * Pause, resume and delete, each one decision on the schedule's stream with what it does to the
 * runs (the pending run stopped, or the next one created) in the same transaction.
 */
@Injectable()
export class ScheduleCommandsHandler {
  constructor(private readonly schedules: ScheduleStreamExecutor) {}

  async pause(scheduleId: string, actor?: Actor): Promise<ScheduleRepresentation> {
    return representSchedule(await this.decide('PauseSchedule', scheduleId, actor));
  }

  async resume(scheduleId: string, actor?: Actor): Promise<ScheduleRepresentation> {
    return representSchedule(await this.decide('ResumeSchedule', scheduleId, actor));
  }

  async delete(scheduleId: string, actor?: Actor): Promise<void> {
    await this.decide('DeleteSchedule', scheduleId, actor);
  }

  private async decide(type: Asked, scheduleId: string, actor?: Actor): Promise<KnownSchedule> {
    try {
      const decision = await this.schedules.execute(scheduleId, (state) => decide({ type, scheduleId, now: new Date().toISOString() }, state), { actor });
      if (decision.state.status === 'none') throw new ScheduleNotFound(scheduleId);
      return decision.state;
    } catch (error) {
      if (error instanceof ScheduleNotFound) throw new NotFoundProblem('Schedule', scheduleId);
      if (error instanceof ScheduleAlreadyEnded) throw new ConflictProblem(`Schedule "${scheduleId}" has ended (its last run started); only an active or paused schedule can be ${error.asked}.`);
      throw error;
    }
  }
}
