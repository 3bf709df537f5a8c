/** PostgreSQL schema of the API tokens and of the access outbox (in job-command's database). */
export const ACCESS_SCHEMA = 'access';
/** CloudEvents `source` of the access events. */
export const ACCESS_SOURCE = '/fleetjobs/access';
