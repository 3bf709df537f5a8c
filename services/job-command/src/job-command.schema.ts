/** PostgreSQL schema holding the job event store, outbox and inbox. */
export const JOB_COMMAND_SCHEMA = 'job_command';
export const JOB_COMMAND_SOURCE = '/fleetjobs/job-command';
