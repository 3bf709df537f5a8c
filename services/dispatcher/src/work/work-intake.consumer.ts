import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS } from '@fleetjobs/contracts';
import { ConsumedMessage, ConsumeEvents, EventBatchConsumer } from '@fleetjobs/messaging';
import { PgDeadLetterStore, UNIT_OF_WORK, UnitOfWork } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { DISPATCHER_SCHEMA } from '../dispatcher.schema';
import { PreviousValuesRepository } from '../operations/previous-values.repository';
import { DispatchHousekeepingRepository } from './dispatch-housekeeping.repository';
import { DispatchWorker } from './dispatch.worker';
import { DispatchIntakeRepository } from './dispatch-intake.repository';

const INTAKE_GROUP = 'dispatcher.intake';
const INTAKE = [
  'JobCreated',
  'JobTargetsResolved',
  'JobTargetingCompleted',
  'JobTargetingFailed',
  'JobStopped',
  'JobPaused',
  'JobResumed',
] as const;

/**
 * Turns a job's definition and target chunks into rows of the shared work table. Every write is
 * an idempotent upsert, so a redelivered batch changes nothing.
 */
@Controller()
export class WorkIntakeConsumer {
  private readonly consumer: EventBatchConsumer<(typeof INTAKE)[number]>;

  constructor(
    @Inject(DATA_SOURCE) dataSource: DataSource,
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    private readonly intake: DispatchIntakeRepository,
    private readonly housekeeping: DispatchHousekeepingRepository,
    private readonly worker: DispatchWorker,
    private readonly previousValues: PreviousValuesRepository,
  ) {
    this.consumer = new EventBatchConsumer({
      group: INTAKE_GROUP,
      types: INTAKE,
      deadLetters: new PgDeadLetterStore(dataSource, DISPATCHER_SCHEMA),
    });
  }

  @ConsumeEvents(TOPICS.jobLifecycle, INTAKE_GROUP)
  async onJobEvents(@Payload() batch: ConsumedMessage[]): Promise<void> {
    const finishable: string[] = [];
    await this.consumer.consume(batch, (events) =>
      this.uow.run(async ({ manager: tx }) => {
        for (const event of events) {
          switch (event.type) {
            case 'JobCreated':
              await this.intake.registerJob(tx, event.data.jobId, event.data.operations, event.data.rollout, event.data.schedule?.windows);
              if (event.data.revertOf) await this.previousValues.registerRevert(tx, event.data.jobId, event.data.revertOf);
              break;
            case 'JobTargetsResolved':
              await this.intake.addTargets(
                tx,
                event.data.jobId,
                event.data.devices.map((device) => device.deviceId),
                event.data.chunk,
                event.data.devices.map((device) => device.timeZone),
              );
              break;
            case 'JobTargetingCompleted':
              await this.intake.completeTargets(tx, event.data.jobId, event.data.total);
              finishable.push(event.data.jobId);
              break;
            case 'JobTargetingFailed':
              await this.intake.abandonTargets(tx, event.data.jobId);
              finishable.push(event.data.jobId);
              break;
            case 'JobStopped':
              await this.intake.halt(tx, event.data.jobId);
              finishable.push(event.data.jobId);
              break;
            case 'JobPaused':
              await this.intake.pause(tx, event.data.jobId);
              break;
            case 'JobResumed':
              // A job whose every device was done while it was paused finishes now.
              await this.intake.resume(tx, event.data.jobId);
              finishable.push(event.data.jobId);
              break;
          }
        }
      }),
    );
    this.worker.wake();
    if (finishable.length) await this.housekeeping.finishJobs(finishable);
  }
}
