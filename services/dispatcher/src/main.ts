import 'reflect-metadata';
import { createPostgresDataSource, ensureDatabase } from '@fleetjobs/persistence-pg';
import { DEFAULT_PORTS, env, exitOnStartupFailure, runDistributedService } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { DispatcherModule } from './dispatcher.module';
import { dispatcherMigrations } from './dispatcher.migrations';

/** job-command's database, where job halts and the permits to send are kept (its migrations create the table). */
async function openJobControl(): Promise<DataSource> {
  const url = env('JOB_CONTROL_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/fleetjobs_job_command');
  await ensureDatabase(url);
  return createPostgresDataSource({ url, migrations: [], poolSize: 4 }).initialize();
}

async function main(): Promise<void> {
  const jobControl = await openJobControl();
  await runDistributedService({
    name: 'dispatcher',
    module: DispatcherModule.register({}, { jobControl }),
    migrations: dispatcherMigrations,
    defaultPort: DEFAULT_PORTS.dispatcher,
    usesHub: true,
    onShutdown: () => jobControl.destroy(),
  });
}

main().catch(exitOnStartupFailure);
