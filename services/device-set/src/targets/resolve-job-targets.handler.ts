import { Inject, Injectable } from '@nestjs/common';
import {
  isValidId,
  JobCreated,
  JobTargetingCompletedData,
  JobTargetingFailedData,
  JobTargetsResolvedData,
  TOPICS,
} from '@fleetjobs/contracts';
import { InboxGuard, OutboxWriter } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource, EntityManager } from 'typeorm';
import { DeviceSetOutbox } from '../device-set.outbox';
import { DEVICE_SET_SCHEMA } from '../device-set.schema';
import { deviceSetRepository } from '../device-sets/device-set.repository';
import { targetsPage } from '../device-sets/membership.query';
import { deviceSetEvent, EventMeta } from '../shared/device-set-events';

/** Devices per `JobTargetsResolved` chunk. */
export const TARGETS_CHUNK_SIZE = 500;

/**
 * Resolves a created job's targets: the members of its set at this moment (intersected with
 * the job's explicit devices), published in chunks of 500 and closed by `JobTargetingCompleted`;
 * or `JobTargetingFailed` when the set is gone or broken.
 *
 * Everything happens in ONE REPEATABLE READ transaction: every page query reads the snapshot
 * taken by the transaction's first statement, so devices saved or deleted meanwhile neither
 * appear in a later page nor shift the keyset; the inbox record and all the outbox rows commit
 * together. Only one page is held in memory at a time. Event ids derive from the job id, so a
 * redelivery that slips past the inbox decides the very same events.
 */
@Injectable()
export class ResolveJobTargetsHandler {
  private readonly inbox = new InboxGuard(DEVICE_SET_SCHEMA, 'targets');
  private readonly outboxWriter = new OutboxWriter(DEVICE_SET_SCHEMA);

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly outbox: DeviceSetOutbox,
  ) {}

  /** Answers false when the event had already been handled. */
  async resolve(event: JobCreated): Promise<boolean> {
    const handled = await this.dataSource.transaction('REPEATABLE READ', async (tx) => {
      if ((await this.inbox.claim(tx, [event.id])).size === 0) return false;
      await this.publishTargets(tx, event);
      return true;
    });
    if (handled) this.outbox.wake();
    return handled;
  }

  private async publishTargets(tx: EntityManager, event: JobCreated): Promise<void> {
    const { jobId, deviceSet, devices } = event.data;
    const meta = (suffix: string): EventMeta => ({
      id: `${jobId}:targets:${suffix}`,
      correlationId: event.correlationId ?? jobId,
      causationId: event.id,
    });
    // The job's definition was checked at creation; ids are re-checked only so that no event
    // content can ever make a query fail and block the partition.
    const set = isValidId(deviceSet) ? await deviceSetRepository.find(tx, deviceSet) : null;
    const only = devices === null ? null : devices.filter(isValidId);
    if (!set || set.brokenReason !== null) {
      const reason = set ? `device set "${deviceSet}" is broken: ${set.brokenReason}` : `device set "${deviceSet}" does not exist`;
      await this.outboxWriter.write(tx, TOPICS.jobs, [
        deviceSetEvent<'JobTargetingFailed', JobTargetingFailedData>('JobTargetingFailed', jobId, { jobId, reason }, meta('failed')),
      ]);
      return;
    }
    let chunk = 0;
    let total = 0;
    for (let after = ''; ; ) {
      const page = await targetsPage(tx, set.conditions, { after, limit: TARGETS_CHUNK_SIZE, only });
      if (page.length === 0) break;
      await this.outboxWriter.write(tx, TOPICS.jobs, [
        deviceSetEvent<'JobTargetsResolved', JobTargetsResolvedData>(
          'JobTargetsResolved',
          jobId,
          { jobId, chunk, devices: page },
          meta(String(chunk)),
        ),
      ]);
      chunk += 1;
      total += page.length;
      if (page.length < TARGETS_CHUNK_SIZE) break;
      after = page[page.length - 1].deviceId;
    }
    await this.outboxWriter.write(tx, TOPICS.jobs, [
      deviceSetEvent<'JobTargetingCompleted', JobTargetingCompletedData>(
        'JobTargetingCompleted',
        jobId,
        { jobId, total, chunks: chunk },
        meta('completed'),
      ),
    ]);
  }
}
