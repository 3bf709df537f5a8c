import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import type { Actor } from '@fleetjobs/contracts';
import { IdPipe, NotFoundProblem, Page, parseLimit, RequestActor } from '@fleetjobs/http-kit';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { ScheduleCommandsHandler } from './schedule-commands.handler';
import { ScheduleRepresentation } from './schedule.representation';
import { schedulesStore } from './schedules.store';

/** Recurring schedules: made by a job body with `schedule.recurrence`; read, paused, resumed and deleted here. */
@Controller('api/schedules')
export class SchedulesHttpController {
  constructor(
    private readonly commands: ScheduleCommandsHandler,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
  ) {}

  /** Newest first. */
  @Get()
  list(@Query('limit') limit?: unknown, @Query('cursor') cursor?: unknown): Promise<Page<ScheduleRepresentation>> {
    return schedulesStore.page(this.dataSource, parseLimit(limit), cursor);
  }

  @Get(':id')
  async get(@Param('id', IdPipe) id: string): Promise<ScheduleRepresentation> {
    const schedule = await schedulesStore.find(this.dataSource, id);
    if (!schedule) throw new NotFoundProblem('Schedule', id);
    return schedule;
  }

  /** Stops its pending run; no run is created until it is resumed. Pausing a paused schedule answers 200 again. */
  @Post(':id/pause')
  @HttpCode(200)
  pause(@Param('id', IdPipe) id: string, @RequestActor() actor: Actor | undefined): Promise<ScheduleRepresentation> {
    return this.commands.pause(id, actor);
  }

  /** Creates its next run at the first occurrence after now. */
  @Post(':id/resume')
  @HttpCode(200)
  resume(@Param('id', IdPipe) id: string, @RequestActor() actor: Actor | undefined): Promise<ScheduleRepresentation> {
    return this.commands.resume(id, actor);
  }

  /** Stops its pending run and creates no further one; earlier runs stay as jobs. */
  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', IdPipe) id: string, @RequestActor() actor: Actor | undefined): Promise<void> {
    await this.commands.delete(id, actor);
  }
}
