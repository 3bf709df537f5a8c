/** The PostgreSQL schema holding every table of the device-set service. */
export const DEVICE_SET_SCHEMA = 'device_set';

/** Fully qualified table names; all SQL of the service goes through these. */
export const TABLES = {
  templates: `${DEVICE_SET_SCHEMA}.templates`,
  devices: `${DEVICE_SET_SCHEMA}.devices`,
  deviceSets: `${DEVICE_SET_SCHEMA}.device_sets`,
  deviceVersions: `${DEVICE_SET_SCHEMA}.device_versions`,
  hubSync: `${DEVICE_SET_SCHEMA}.hub_sync`,
  hubSyncFailures: `${DEVICE_SET_SCHEMA}.hub_sync_failures`,
  pendingTargets: `${DEVICE_SET_SCHEMA}.pending_targets`,
  awaitingApproval: `${DEVICE_SET_SCHEMA}.awaiting_approval`,
} as const;

/** `source` of every event this service decides. */
export const DEVICE_SET_SOURCE = '/fleetjobs/device-set';
