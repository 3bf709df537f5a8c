/** DI token of the `HubSyncConfig`. */
export const HUB_SYNC_CONFIG = Symbol('HUB_SYNC_CONFIG');

export interface HubSyncConfig {
  /** How long one registry call is tried again on transient failures and throttling before its devices are given up on. */
  retryWindowMs: number;
  /** First pause after a transient failure; it doubles up to `maxBackoffMs`. */
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** Longest wait a throttled call accepts from the hub's Retry-After. */
  maxThrottleWaitMs: number;
  /** How long a device stays leased to a writer that stops renewing (a crashed process). */
  leaseMs: number;
}

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export function hubSyncConfigFromEnv(): HubSyncConfig {
  return {
    retryWindowMs: intFromEnv('HUB_SYNC_RETRY_WINDOW_MS', 180_000),
    initialBackoffMs: intFromEnv('HUB_SYNC_INITIAL_BACKOFF_MS', 250),
    maxBackoffMs: intFromEnv('HUB_SYNC_MAX_BACKOFF_MS', 10_000),
    maxThrottleWaitMs: 30_000,
    leaseMs: intFromEnv('HUB_SYNC_LEASE_MS', 30_000),
  };
}
