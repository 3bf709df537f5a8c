import { DynamicModule, Module } from '@nestjs/common';
import { DATA_SOURCE, provideUnitOfWork } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { DISPATCHER_CONFIG, DispatcherConfig, dispatcherConfigFromEnv, JOB_CONTROL_DATA_SOURCE } from './dispatcher.config';
import { DispatcherOutbox } from './dispatcher.outbox';
import { DISPATCHER_SCHEMA } from './dispatcher.schema';
import { DeviceOperationRunner } from './operations/device-operation.runner';
import { PreviousValuesRepository } from './operations/previous-values.repository';
import { DispatchRetentionRepository } from './retention/dispatch-retention.repository';
import { DispatchRetentionSweeper } from './retention/dispatch-retention.sweeper';
import { RolloutProgressRepository } from './rollout/rollout-progress.repository';
import { DispatchSweeper } from './work/dispatch.sweeper';
import { DispatchWorker } from './work/dispatch.worker';
import { DispatchClaimRepository } from './work/dispatch-claim.repository';
import { DispatchHousekeepingRepository } from './work/dispatch-housekeeping.repository';
import { DispatchIntakeRepository } from './work/dispatch-intake.repository';
import { DispatchOutcomesRepository } from './work/dispatch-outcomes.repository';
import { WorkIntakeConsumer } from './work/work-intake.consumer';
import { workStatistics } from './work/work-statistics.provider';

/** Carries out device operations through the DeviceGateway; any number of processes share the work. */
@Module({})
export class DispatcherModule {
  /** `jobControl`: the database of job-command's job-control table, when it is not the process's own. */
  static register(config: Partial<DispatcherConfig> = {}, options: { jobControl?: DataSource } = {}): DynamicModule {
    return {
      module: DispatcherModule,
      controllers: [WorkIntakeConsumer],
      providers: [
        { provide: DISPATCHER_CONFIG, useValue: dispatcherConfigFromEnv(config) },
        options.jobControl
          ? { provide: JOB_CONTROL_DATA_SOURCE, useValue: options.jobControl }
          : { provide: JOB_CONTROL_DATA_SOURCE, useExisting: DATA_SOURCE },
        DispatcherOutbox,
        provideUnitOfWork(DISPATCHER_SCHEMA, DispatcherOutbox),
        DispatchIntakeRepository,
        DispatchClaimRepository,
        DispatchOutcomesRepository,
        DispatchHousekeepingRepository,
        RolloutProgressRepository,
        PreviousValuesRepository,
        DeviceOperationRunner,
        DispatchWorker,
        DispatchSweeper,
        DispatchRetentionRepository,
        DispatchRetentionSweeper,
        workStatistics,
      ],
    };
  }
}
