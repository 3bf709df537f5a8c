import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Put, Query, Res } from '@nestjs/common';
import type { Actor } from '@fleetjobs/contracts';
import { IdPipe, NotFoundProblem, Page, parseLimit, RequestActor, toPage } from '@fleetjobs/http-kit';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { idCursor } from '../shared/id-cursor';
import { TemplateCommandsHandler } from './template-commands.handler';
import { DeviceTemplate, templateRepository } from './template.repository';
import { PutTemplateRequestDto } from './template.request.dto';

@Controller('api/device-templates')
export class TemplatesHttpController {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly commands: TemplateCommandsHandler,
  ) {}

  @Put(':id')
  async put(
    @Param('id', IdPipe) id: string,
    @Body() body: PutTemplateRequestDto,
    @RequestActor() actor: Actor | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DeviceTemplate> {
    const template: DeviceTemplate = {
      id,
      displayName: body.displayName,
      capabilities: body.capabilities.map(({ name, kind, schema }) => ({ name, kind, schema })),
    };
    const { created } = await this.commands.save(template, actor);
    response.status(created ? 201 : 200);
    return template;
  }

  @Get(':id')
  async get(@Param('id', IdPipe) id: string): Promise<DeviceTemplate> {
    const template = await templateRepository.find(this.dataSource, id);
    if (!template) throw new NotFoundProblem('Device template', id);
    return template;
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', IdPipe) id: string, @RequestActor() actor: Actor | undefined): Promise<void> {
    if (!(await this.commands.delete(id, actor))) throw new NotFoundProblem('Device template', id);
  }

  @Get()
  async list(@Query('limit') rawLimit?: string, @Query('cursor') rawCursor?: string): Promise<Page<DeviceTemplate>> {
    const limit = parseLimit(rawLimit);
    const rows = await templateRepository.page(this.dataSource, idCursor(rawCursor), limit);
    return toPage(rows, limit, (row) => row, (row) => [row.id]);
  }
}
