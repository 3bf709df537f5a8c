import { DynamicModule, Module } from '@nestjs/common';
import { DISPATCHER_CONFIG, DispatcherConfig, dispatcherConfigFromEnv } from './dispatcher.config';
import { DispatcherOutbox } from './dispatcher.outbox';
import { HaltJobHttpController } from './halt-job/halt-job.http.controller';
import { DeviceOperationRunner } from './operations/device-operation.runner';
import { DispatchSweeper } from './work/dispatch.sweeper';
import { DispatchWorker } from './work/dispatch.worker';
import { DispatchWorkRepository } from './work/dispatch-work.repository';
import { WorkIntakeConsumer } from './work/work-intake.consumer';

/** Carries out device operations through the DeviceGateway; any number of processes share the work. */
@Module({})
export class DispatcherModule {
  static register(config: Partial<DispatcherConfig> = {}): DynamicModule {
    return {
      module: DispatcherModule,
      controllers: [HaltJobHttpController, WorkIntakeConsumer],
      providers: [
        { provide: DISPATCHER_CONFIG, useValue: dispatcherConfigFromEnv(config) },
        DispatcherOutbox,
        DispatchWorkRepository,
        DeviceOperationRunner,
        DispatchWorker,
        DispatchSweeper,
      ],
    };
  }
}
