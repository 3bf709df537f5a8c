import 'reflect-metadata';
import { DEFAULT_PORTS, exitOnStartupFailure, runDistributedService } from '@fleetjobs/runtime';
import { JobCommandModule } from './job-command.module';
import { jobCommandMigrations } from './job-command.migrations';

runDistributedService({
  name: 'job-command',
  module: JobCommandModule,
  migrations: jobCommandMigrations,
  defaultPort: DEFAULT_PORTS.jobCommand,
  usesHub: false,
}).catch(exitOnStartupFailure);
