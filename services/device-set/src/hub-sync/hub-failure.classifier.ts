import { HubThrottledError } from '@fleetjobs/device-gateway';

/**
 * What a failed registry call means for the devices in it:
 * - `throttled`: the hub's rate limit (429); wait as long as it asks, then call again;
 * - `transient`: the hub could not be reached or failed on its side (no answer, 5xx), or refused
 *   for a reason that is not about these devices (401/403 credentials, 408 timeout, 409/412
 *   concurrent changes); call again after a pause, for a bounded time;
 * - `refused`: the hub refused the request itself (any other 4xx), or the gateway refused to send
 *   it (an error with neither an HTTP status nor a system error code, e.g. tag names the twin
 *   reserves); calling again cannot help.
 */
export type HubFailure =
  | { kind: 'throttled'; retryAfterMs: number; reason: string }
  | { kind: 'transient'; reason: string }
  | { kind: 'refused'; status: number | null; reason: string };

const RETRYABLE_4XX = new Set([401, 403, 408, 409, 412, 423, 425]);
const MAX_CAUSES = 8;

/**
 * Classifies an error thrown by `DeviceGateway.upsertDevices`/`deleteDevices`. The HTTP status is
 * looked for along the error's `cause` chain, where the azure-iothub SDK's errors carry
 * `response.statusCode`; socket, TLS and timeout errors carry a string `code` (ECONNREFUSED, …).
 */
export function classifyHubFailure(error: unknown): HubFailure {
  const reason = error instanceof Error ? error.message : String(error);
  if (error instanceof HubThrottledError) return { kind: 'throttled', retryAfterMs: error.retryAfterMs, reason };
  const status = httpStatusOf(error);
  if (status === 429) return { kind: 'throttled', retryAfterMs: 1000, reason };
  if (status !== null && status >= 400 && status < 500 && !RETRYABLE_4XX.has(status)) return { kind: 'refused', status, reason };
  if (status === null && systemCodeOf(error) === null) return { kind: 'refused', status: null, reason };
  return { kind: 'transient', reason };
}

/** The first HTTP status found on the error or its causes. */
export function httpStatusOf(error: unknown): number | null {
  for (const link of causeChain(error)) {
    const candidate = link as { response?: { statusCode?: unknown }; statusCode?: unknown };
    const status = candidate.response?.statusCode ?? candidate.statusCode;
    if (typeof status === 'number' && Number.isInteger(status)) return status;
  }
  return null;
}

/** The first system error code (`ECONNREFUSED`, `ERR_TLS_…`, `UND_ERR_…`) on the error or its causes. */
function systemCodeOf(error: unknown): string | null {
  for (const link of causeChain(error)) {
    const code = (link as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
  }
  return null;
}

function causeChain(error: unknown): object[] {
  const chain: object[] = [];
  for (let current = error; chain.length < MAX_CAUSES && typeof current === 'object' && current !== null; ) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

/** Waits of a retried call: exponential from `initialMs`, capped at `maxMs`. */
export function transientBackoffMs(attempt: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
}
