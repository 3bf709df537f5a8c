import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Res } from '@nestjs/common';
import { Actor, ID_PATTERN } from '@fleetjobs/contracts';
import { IdPipe, NotFoundProblem, Page, parseLimit, RequestActor, toPage, ValidationProblem } from '@fleetjobs/http-kit';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { idCursor } from '../shared/id-cursor';
import { DeviceCommandsHandler } from './device-commands.handler';
import { Device, deviceRepository } from './device.repository';
import { DeviceBatchRequestDto, PutDeviceRequestDto } from './device.request.dto';
import { ImportDevicesHandler } from './import-devices.handler';

@Controller('api/devices')
export class DevicesHttpController {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly commands: DeviceCommandsHandler,
    private readonly importer: ImportDevicesHandler,
  ) {}

  @Post('batch')
  @HttpCode(200)
  batch(
    @Body() body: DeviceBatchRequestDto,
    @RequestActor() actor: Actor | undefined,
  ): Promise<{ created: number; updated: number }> {
    return this.commands.registerBatch(
      body.devices.map((item) => ({ id: item.id, displayName: item.displayName, template: item.template, tags: item.tags ?? {} })),
      actor,
    );
  }

  @Post('import')
  @HttpCode(200)
  import(@RequestActor() actor: Actor | undefined): Promise<{ imported: number; skipped: number }> {
    return this.importer.importAll(actor);
  }

  @Put(':id')
  async put(
    @Param('id', IdPipe) id: string,
    @Body() body: PutDeviceRequestDto,
    @RequestActor() actor: Actor | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Device> {
    const device: Device = { id, displayName: body.displayName, template: body.template, tags: body.tags ?? {} };
    const { created } = await this.commands.register(device, actor);
    response.status(created ? 201 : 200);
    return device;
  }

  @Get(':id')
  async get(@Param('id', IdPipe) id: string): Promise<Device> {
    const device = await deviceRepository.find(this.dataSource, id);
    if (!device) throw new NotFoundProblem('Device', id);
    return device;
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', IdPipe) id: string, @RequestActor() actor: Actor | undefined): Promise<void> {
    if (!(await this.commands.delete(id, actor))) throw new NotFoundProblem('Device', id);
  }

  @Get()
  async list(
    @Query('template') template?: string,
    @Query('limit') rawLimit?: string,
    @Query('cursor') rawCursor?: string,
  ): Promise<Page<Device>> {
    if (template !== undefined && template !== '' && (typeof template !== 'string' || !ID_PATTERN.test(template))) {
      throw new ValidationProblem([{ field: 'template', message: 'must be a template id' }]);
    }
    const limit = parseLimit(rawLimit);
    const rows = await deviceRepository.page(this.dataSource, idCursor(rawCursor), limit, template || null);
    return toPage(rows, limit, (row) => row, (row) => [row.id]);
  }
}
