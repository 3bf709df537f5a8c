import 'reflect-metadata';
import { DEFAULT_PORTS, exitOnStartupFailure, runDistributedService } from '@fleetjobs/runtime';
import { ProjectionModule } from './projection.module';
import { projectionMigrations } from './projection.migrations';

runDistributedService({
  name: 'projection',
  module: ProjectionModule,
  migrations: projectionMigrations,
  defaultPort: DEFAULT_PORTS.projection,
  usesHub: false,
}).catch(exitOnStartupFailure);
