/** PostgreSQL schema of the dispatchers' shared work table, outbox and inbox. */
export const DISPATCHER_SCHEMA = 'dispatcher';
export const DISPATCHER_SOURCE = '/fleetjobs/dispatcher';
