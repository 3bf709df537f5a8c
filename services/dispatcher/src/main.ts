import 'reflect-metadata';
import { DEFAULT_PORTS, exitOnStartupFailure, runDistributedService } from '@fleetjobs/runtime';
import { DispatcherModule } from './dispatcher.module';
import { dispatcherMigrations } from './dispatcher.migrations';

runDistributedService({
  name: 'dispatcher',
  module: DispatcherModule.register(),
  migrations: dispatcherMigrations,
  defaultPort: DEFAULT_PORTS.dispatcher,
  usesHub: true,
}).catch(exitOnStartupFailure);
