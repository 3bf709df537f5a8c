import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ConflictProblem, IdPipe, NotFoundProblem, Page, parseLimit, toPage } from '@fleetjobs/http-kit';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { analyzeWhenGrown } from '@fleetjobs/persistence-pg';
import { TABLES } from '../device-set.schema';
import { idCursor } from '../shared/id-cursor';
import { deviceSetRepository } from './device-set.repository';
import { memberIdsPage } from './membership.query';

/**
 * Internal: a set's current member ids in id order, keyset-paged (`?limit=` up to 1000,
 * `?cursor=`), for job-command's preview of a job's overlaps: each page costs one index range scan,
 * whatever the size of the set. 404 for an unknown set, 409 for a broken one.
 */
@Controller('internal/device-sets')
export class MemberIdsHttpController {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  @Get(':id/member-ids')
  async memberIds(@Param('id', IdPipe) id: string, @Query('limit') rawLimit?: string, @Query('cursor') rawCursor?: string): Promise<Page<string>> {
    const limit = parseLimit(rawLimit);
    const after = idCursor(rawCursor);
    const set = await deviceSetRepository.find(this.dataSource, id);
    if (!set) throw new NotFoundProblem('Device set', id);
    if (set.brokenReason !== null) {
      throw new ConflictProblem(`Device set "${id}" is broken: ${set.brokenReason}.`, [{ field: 'id', message: set.brokenReason }]);
    }
    if (after === '') await analyzeWhenGrown(this.dataSource, TABLES.devices);
    const ids = await memberIdsPage(this.dataSource, set.conditions, { after, limit: limit + 1 });
    return toPage(ids, limit, (deviceId) => deviceId, (deviceId) => [deviceId]);
  }
}
