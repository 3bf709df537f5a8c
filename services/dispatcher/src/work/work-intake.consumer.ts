import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { CE_HEADERS, parseWireMessage, TOPICS } from '@fleetjobs/contracts';
import { ConsumedMessage, ConsumeEvents } from '@fleetjobs/messaging';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { DispatcherOutbox } from '../dispatcher.outbox';
import { DispatchWorker } from './dispatch.worker';
import { DispatchHousekeepingRepository } from './dispatch-housekeeping.repository';
import { DispatchWorkRepository } from './dispatch-work.repository';

const INTAKE = new Set(['JobCreated', 'JobTargetsResolved', 'JobTargetingCompleted', 'JobStopped']);

/**
 * Turns a job's definition and target chunks into rows of the shared work table. Every write is
 * an idempotent upsert, so a redelivered batch changes nothing.
 */
@Controller()
export class WorkIntakeConsumer {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly work: DispatchWorkRepository,
    private readonly housekeeping: DispatchHousekeepingRepository,
    private readonly worker: DispatchWorker,
    private readonly outbox: DispatcherOutbox,
  ) {}

  @ConsumeEvents(TOPICS.jobs, 'dispatcher.intake')
  async onJobEvents(@Payload() batch: ConsumedMessage[]): Promise<void> {
    const relevant = batch.filter((message) => INTAKE.has(message.headers[CE_HEADERS.type] ?? ''));
    if (relevant.length === 0) return;
    const finishable: string[] = [];
    await this.dataSource.transaction(async (tx) => {
      for (const message of relevant) {
        const event = parseWireMessage(message);
        if (!event) continue;
        switch (event.type) {
          case 'JobCreated':
            await this.work.registerJob(tx, event.data.jobId, event.data.operations);
            break;
          case 'JobTargetsResolved':
            await this.work.addTargets(tx, event.data.jobId, event.data.devices.map((device) => device.deviceId));
            break;
          case 'JobTargetingCompleted':
            await this.work.completeTargets(tx, event.data.jobId, event.data.total);
            finishable.push(event.data.jobId);
            break;
          case 'JobStopped':
            await this.work.halt(tx, event.data.jobId);
            finishable.push(event.data.jobId);
            break;
        }
      }
    });
    this.worker.wake();
    if (finishable.length && (await this.housekeeping.finishJobs(finishable)).length > 0) this.outbox.wake();
  }
}
