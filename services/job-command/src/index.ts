export * from './job-command.module';
export * from './job-command.migrations';
export * from './job-command.schema';
