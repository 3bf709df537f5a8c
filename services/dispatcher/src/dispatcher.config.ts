import { retentionDaysFromEnv } from '@fleetjobs/runtime';

/** DI token of the `DispatcherConfig`. */
export const DISPATCHER_CONFIG = Symbol('DISPATCHER_CONFIG');

/**
 * DI token of the DataSource holding job-command's job-control table, where halts and the
 * permits to send meet (the process's own DataSource when both live in one database).
 */
export const JOB_CONTROL_DATA_SOURCE = Symbol('JOB_CONTROL_DATA_SOURCE');

export interface DispatcherConfig {
  /** Device operations one process runs at once. */
  concurrency: number;
  /**
   * Requests per second the hub may receive from all dispatchers of the deployment together (they
   * share one send schedule in their database); 0 means no limit and no pacing.
   */
  hubRateLimitPerSecond: number;
  settingAckTimeoutMs: number;
  commandTimeoutMs: number;
  /** An in-flight operation whose worker has not been heard of for this long is concluded as unknown. */
  orphanAfterMs: number;
  heartbeatMs: number;
  idlePollMs: number;
  /** How long a permit to send lasts; a stop answers at most this long after it commits. */
  permitLeaseMs: number;
  /** A permit is used only until this long before it runs out, so a request sent at its end has arrived. */
  permitMarginMs: number;
  /** Days after a job ended that its work rows and previous values are dropped (`JOB_RETENTION_DAYS`). */
  jobRetentionDays: number;
}

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}

export function dispatcherConfigFromEnv(overrides: Partial<DispatcherConfig> = {}): DispatcherConfig {
  return {
    concurrency: intFromEnv('DISPATCH_CONCURRENCY', 64),
    hubRateLimitPerSecond: intFromEnv('HUB_RATE_LIMIT_PER_SECOND', 0),
    settingAckTimeoutMs: intFromEnv('SETTING_ACK_TIMEOUT_MS', 30_000),
    commandTimeoutMs: intFromEnv('COMMAND_TIMEOUT_MS', 30_000),
    orphanAfterMs: intFromEnv('DISPATCH_ORPHAN_AFTER_MS', 15_000),
    heartbeatMs: intFromEnv('DISPATCH_HEARTBEAT_MS', 2_000),
    idlePollMs: intFromEnv('DISPATCH_IDLE_POLL_MS', 100),
    permitLeaseMs: intFromEnv('DISPATCH_PERMIT_LEASE_MS', 1200),
    permitMarginMs: intFromEnv('DISPATCH_PERMIT_MARGIN_MS', 500),
    jobRetentionDays: retentionDaysFromEnv(process.env.JOB_RETENTION_DAYS),
    ...overrides,
  };
}
