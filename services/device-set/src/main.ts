import 'reflect-metadata';
import { DEFAULT_PORTS, exitOnStartupFailure, runDistributedService } from '@fleetjobs/runtime';
import { DeviceSetModule } from './device-set.module';
import { deviceSetMigrations } from './migrations/device-set-initial.migration';

runDistributedService({
  name: 'device-set',
  module: DeviceSetModule,
  migrations: deviceSetMigrations,
  defaultPort: DEFAULT_PORTS.deviceSet,
  usesHub: true,
}).catch(exitOnStartupFailure);
