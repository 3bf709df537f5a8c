import { Inject, Injectable } from '@nestjs/common';
import {
  EventEnvelope,
  isValidId,
  JobApproved,
  JobCreated,
  JobReleased,
  JobStartReached,
  JobStopped,
  JobTargetingCompletedData,
  JobTargetingFailedData,
  JobTargetsResolvedData,
  TOPICS,
} from '@fleetjobs/contracts';
import { analyzeWhenGrown, InboxGuard, OutboxWriter, queryRows, SqlExecutor } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource, EntityManager } from 'typeorm';
import { DeviceSetOutbox } from '../device-set.outbox';
import { DEVICE_SET_SCHEMA, TABLES } from '../device-set.schema';
import { deviceSetRepository } from '../device-sets/device-set.repository';
import { targetsPage } from '../device-sets/membership.query';
import { SyncDevicesToHubHandler } from '../hub-sync/sync-devices-to-hub.handler';
import { deviceSetEvent, EventMeta } from '../shared/device-set-events';

/** Devices per `JobTargetsResolved` chunk. */
export const TARGETS_CHUNK_SIZE = 500;

/**
 * Resolves a created job's targets: the members of its set at this moment (intersected with
 * the job's explicit devices), published in chunks of 500 and closed by `JobTargetingCompleted`;
 * or `JobTargetingFailed` when the set is gone or broken. A device accepted by the API can be a
 * target at once: before a chunk is published, those of its devices whose current state the hub
 * may not hold yet are written to the hub (the background hub sync may not have reached them).
 *
 * Two steps, so that no transaction stays open across hub calls:
 * 1. Decide, in ONE REPEATABLE READ transaction: every page query reads the snapshot taken by the
 *    transaction's first statement, so devices saved or deleted meanwhile neither appear in a
 *    later page nor shift the keyset. The events are staged in `pending_targets` and commit with
 *    the inbox record. Only one page is held in memory at a time.
 * 2. Publish, event by event in order: sync the chunk's devices to the hub, then move the event
 *    from `pending_targets` to the outbox in one transaction. A crash in between leaves the rest
 *    staged; the redelivered `JobCreated` finds the inbox record and publishes what is left.
 * Event ids derive from the job id, so a redelivery that slips past the inbox decides the very
 * same events.
 *
 * Before the pages are read, the devices' planner statistics are refreshed if the table grew since
 * they were taken (a fleet just imported): each page is then an index range scan, not a read and
 * sort of every member after the cursor.
 *
 * A job that needs a second person's approval is not targeted when created: its `JobCreated` is
 * kept in `awaiting_approval` until its `JobApproved` takes it out and resolves its targets as
 * above, or its `JobStopped` drops it (then it is never targeted). Each step claims its event in
 * the inbox in the transaction that moves the row, so redeliveries change nothing; a job's events
 * share one partition, so the stop, when it comes first, is seen first.
 *
 * A scheduled job is held the same way until its `JobStartReached`, which job-command decides only
 * once the job is also approved (if it needs that): so its `JobApproved` does not release it.
 * A job queued behind conflicting jobs (`waitingFor`) is held until its `JobReleased`, decided last
 * of all (after its approval and its start): neither of those releases it.
 */
@Injectable()
export class ResolveJobTargetsHandler {
  private readonly inbox = new InboxGuard(DEVICE_SET_SCHEMA, 'targets');
  private readonly outboxWriter = new OutboxWriter(DEVICE_SET_SCHEMA);

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly outbox: DeviceSetOutbox,
    private readonly syncToHub: SyncDevicesToHubHandler,
  ) {}

  /** Answers false when the event had already been handled (what was left of it is published). */
  async resolve(event: JobCreated): Promise<boolean> {
    if (event.data.approval?.required || event.data.schedule?.startAt || event.data.waitingFor) return this.holdForApproval(event);
    await analyzeWhenGrown(this.dataSource, TABLES.devices);
    const handled = await this.dataSource.transaction('REPEATABLE READ', async (tx) => {
      if ((await this.inbox.claim(tx, [event.id])).size === 0) return false;
      await this.stageTargets(tx, event);
      return true;
    });
    await this.publishStaged(event.data.jobId);
    return handled;
  }

  /** Keeps a job that needs approval, untargeted, until its approval or its stop. */
  private async holdForApproval(event: JobCreated): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      if ((await this.inbox.claim(tx, [event.id])).size === 0) return false;
      await tx.query(
        `INSERT INTO ${TABLES.awaitingApproval} (job_id, event) VALUES ($1, $2::jsonb) ON CONFLICT (job_id) DO NOTHING`,
        [event.data.jobId, JSON.stringify(event)],
      );
      return true;
    });
  }

  /** Resolves the targets of an approved job that was held (once; a stopped job is no longer held). */
  async approve(event: JobApproved): Promise<boolean> {
    return this.release(event, `AND event->'data'->'schedule'->'startAt' IS NULL AND event->'data'->'waitingFor' IS NULL`);
  }

  /** Resolves the targets of a scheduled job whose start came (approved already, if it needed that). */
  async startReached(event: JobStartReached): Promise<boolean> {
    return this.release(event, `AND event->'data'->'waitingFor' IS NULL`);
  }

  /** Resolves the targets of a queued job whose waited-for jobs all ended (approved and started already, if it needed that). */
  async released(event: JobReleased): Promise<boolean> {
    return this.release(event, '');
  }

  private async release(event: JobApproved | JobStartReached | JobReleased, condition: string): Promise<boolean> {
    const { jobId } = event.data;
    await analyzeWhenGrown(this.dataSource, TABLES.devices);
    const handled = await this.dataSource.transaction('REPEATABLE READ', async (tx) => {
      if ((await this.inbox.claim(tx, [event.id])).size === 0) return false;
      const [held] = await queryRows<{ event: JobCreated }>(
        tx,
        `DELETE FROM ${TABLES.awaitingApproval} WHERE job_id = $1 ${condition} RETURNING event`,
        [jobId],
      );
      if (held) await this.stageTargets(tx, held.event);
      return true;
    });
    await this.publishStaged(jobId);
    return handled;
  }

  /** A job stopped while awaiting approval is never targeted. */
  async dropStopped(event: JobStopped): Promise<void> {
    await this.dataSource.query(`DELETE FROM ${TABLES.awaitingApproval} WHERE job_id = $1`, [event.data.jobId]);
  }

  private async stageTargets(tx: EntityManager, event: JobCreated): Promise<void> {
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
      await stage(tx, jobId, 0, deviceSetEvent<'JobTargetingFailed', JobTargetingFailedData>('JobTargetingFailed', jobId, { jobId, reason }, meta('failed')));
      return;
    }
    let chunk = 0;
    let total = 0;
    for (let after = ''; ; ) {
      const page = await targetsPage(tx, set.conditions, { after, limit: TARGETS_CHUNK_SIZE, only });
      if (page.length === 0) break;
      await stage(
        tx,
        jobId,
        chunk,
        deviceSetEvent<'JobTargetsResolved', JobTargetsResolvedData>('JobTargetsResolved', jobId, { jobId, chunk, devices: page }, meta(String(chunk))),
      );
      chunk += 1;
      total += page.length;
      if (page.length < TARGETS_CHUNK_SIZE) break;
      after = page[page.length - 1].deviceId;
    }
    await stage(
      tx,
      jobId,
      chunk,
      deviceSetEvent<'JobTargetingCompleted', JobTargetingCompletedData>('JobTargetingCompleted', jobId, { jobId, total, chunks: chunk }, meta('completed')),
    );
  }

  /** Publishes a job's staged events in order, each chunk once its devices are in the hub. */
  private async publishStaged(jobId: string): Promise<void> {
    for (let seq = -1; ; ) {
      const [next] = await queryRows<{ seq: number; event: EventEnvelope }>(
        this.dataSource,
        `SELECT seq, event FROM ${TABLES.pendingTargets} WHERE job_id = $1 AND seq > $2 ORDER BY seq LIMIT 1`,
        [jobId, seq],
      );
      if (!next) return;
      seq = next.seq;
      if (next.event.type === 'JobTargetsResolved') {
        const { devices } = next.event.data as JobTargetsResolvedData;
        await this.syncToHub.sync(
          devices.map((device) => device.deviceId),
          { source: 'targets', deleteMissing: false },
        );
      }
      const published = await this.dataSource.transaction(async (tx) => {
        const taken = await queryRows(tx, `DELETE FROM ${TABLES.pendingTargets} WHERE job_id = $1 AND seq = $2 RETURNING seq`, [jobId, next.seq]);
        if (taken.length === 0) return false;
        await this.outboxWriter.write(tx, TOPICS.jobs, [next.event]);
        return true;
      });
      if (published) this.outbox.wake();
    }
  }
}

async function stage(tx: SqlExecutor, jobId: string, seq: number, event: EventEnvelope): Promise<void> {
  await tx.query(`INSERT INTO ${TABLES.pendingTargets} (job_id, seq, event) VALUES ($1, $2, $3::jsonb)`, [jobId, seq, JSON.stringify(event)]);
}
