import { HubThrottledError } from '../device-gateway.port';
import { isPlainObject, JsonObject } from './json-merge-patch';

/** A device's answer to a desired property, read from its reported `{value, ac, av, ad}`. */
export type SettingAck = { acknowledged: false } | { acknowledged: true; ac: number; ad: string | null };

/** Whether the reported properties acknowledge `name` at desired version `version` or later. */
export function settingAckOf(reported: unknown, name: string, version: number): SettingAck {
  const entry = isPlainObject(reported) ? reported[name] : undefined;
  if (!isPlainObject(entry)) return { acknowledged: false };
  const { av, ac, ad } = entry;
  if (typeof av !== 'number' || av < version || typeof ac !== 'number') return { acknowledged: false };
  return { acknowledged: true, ac, ad: typeof ad === 'string' ? ad : null };
}

export interface AckPollOptions {
  initialIntervalMs: number;
  maxIntervalMs: number;
  timeoutMs: number;
}

/**
 * Reads the reported properties until they acknowledge the setting or `timeoutMs` has passed
 * since `startedAtMs`. The interval grows by half each round up to `maxIntervalMs`; the last read
 * happens at the deadline. A throttled read (`HubThrottledError`) waits out its Retry-After (at
 * least the current interval) and reads again: the patch is already written, so throttling while
 * waiting must never surface as a failure that makes the caller patch the twin again. "Not
 * acknowledged" is said only after a read at or past the deadline was answered: while the hub
 * throttles the reads that would tell, they go on, for at most another `timeoutMs`.
 */
export async function pollForSettingAck(
  readReported: () => Promise<JsonObject>,
  name: string,
  version: number,
  options: AckPollOptions,
  startedAtMs: number = Date.now(),
): Promise<SettingAck> {
  const deadline = startedAtMs + options.timeoutMs;
  const throttledUntilAtMost = deadline + options.timeoutMs;
  let wait = options.initialIntervalMs;
  let interval = options.initialIntervalMs;
  let answeredAtDeadline = false;
  for (;;) {
    const now = Date.now();
    if ((now >= deadline && answeredAtDeadline) || now >= throttledUntilAtMost) return { acknowledged: false };
    await sleep(Math.min(wait, (now < deadline ? deadline : throttledUntilAtMost) - now));
    const readAt = Date.now();
    let reported: JsonObject;
    try {
      reported = await readReported();
    } catch (error) {
      if (!(error instanceof HubThrottledError)) throw error;
      wait = Math.max(interval, Number.isFinite(error.retryAfterMs) ? error.retryAfterMs : 0);
      continue;
    }
    const ack = settingAckOf(reported, name, version);
    if (ack.acknowledged) return ack;
    if (readAt >= deadline) answeredAtDeadline = true;
    interval = Math.min(options.maxIntervalMs, Math.ceil(interval * 1.5));
    wait = interval;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
