/** The PostgreSQL schema holding the projection's read models. */
export const PROJECTION_SCHEMA = 'projection';

/** DI token of how many days ended jobs stay visible before the sweep deletes them. */
export const JOB_RETENTION_DAYS = Symbol('JOB_RETENTION_DAYS');

// Read by the dispatcher too, which drops its work rows of the same jobs.
export { DEFAULT_JOB_RETENTION_DAYS, retentionDaysFromEnv } from '@fleetjobs/runtime';
