import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Put, Query, Res } from '@nestjs/common';
import type { Actor } from '@fleetjobs/contracts';
import { ConflictProblem, IdPipe, NotFoundProblem, Page, parseLimit, RequestActor, toPage } from '@fleetjobs/http-kit';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { analyzeWhenGrown } from '@fleetjobs/persistence-pg';
import { TABLES } from '../device-set.schema';
import type { Device } from '../devices/device.repository';
import { idCursor } from '../shared/id-cursor';
import { Condition } from './condition';
import { DeviceSetCommandsHandler } from './device-set-commands.handler';
import { deviceSetRepository, DeviceSetView, toDeviceSetView } from './device-set.repository';
import { PutDeviceSetRequestDto } from './device-set.request.dto';
import { membersPage } from './membership.query';

@Controller('api/device-sets')
export class DeviceSetsHttpController {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly commands: DeviceSetCommandsHandler,
  ) {}

  @Put(':id')
  async put(
    @Param('id', IdPipe) id: string,
    @Body() body: PutDeviceSetRequestDto,
    @RequestActor() actor: Actor | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DeviceSetView> {
    const { created, set } = await this.commands.save(
      { id, displayName: body.displayName, conditions: body.conditions as Condition[] },
      actor,
    );
    response.status(created ? 201 : 200);
    return set;
  }

  @Get(':id')
  async get(@Param('id', IdPipe) id: string): Promise<DeviceSetView> {
    const set = await deviceSetRepository.find(this.dataSource, id);
    if (!set) throw new NotFoundProblem('Device set', id);
    return toDeviceSetView(set);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', IdPipe) id: string, @RequestActor() actor: Actor | undefined): Promise<void> {
    if (!(await this.commands.delete(id, actor))) throw new NotFoundProblem('Device set', id);
  }

  @Get()
  async list(@Query('limit') rawLimit?: string, @Query('cursor') rawCursor?: string): Promise<Page<DeviceSetView>> {
    const limit = parseLimit(rawLimit);
    const rows = await deviceSetRepository.page(this.dataSource, idCursor(rawCursor), limit);
    return toPage(rows, limit, toDeviceSetView, (row) => [row.id]);
  }

  /** Members evaluated now; a broken set lists none and says why. */
  @Get(':id/devices')
  async members(
    @Param('id', IdPipe) id: string,
    @Query('limit') rawLimit?: string,
    @Query('cursor') rawCursor?: string,
  ): Promise<Page<Device>> {
    const limit = parseLimit(rawLimit);
    const after = idCursor(rawCursor);
    const set = await deviceSetRepository.find(this.dataSource, id);
    if (!set) throw new NotFoundProblem('Device set', id);
    if (set.brokenReason !== null) {
      throw new ConflictProblem(`Device set "${id}" is broken: ${set.brokenReason}.`, [{ field: 'id', message: set.brokenReason }]);
    }
    if (after === '') await analyzeWhenGrown(this.dataSource, TABLES.devices);
    const rows = await membersPage(this.dataSource, set.conditions, { after, limit: limit + 1 });
    return toPage(rows, limit, (row) => row, (row) => [row.id]);
  }
}
