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
 * happens at the deadline.
 */
export async function pollForSettingAck(
  readReported: () => Promise<JsonObject>,
  name: string,
  version: number,
  options: AckPollOptions,
  startedAtMs: number = Date.now(),
): Promise<SettingAck> {
  const deadline = startedAtMs + options.timeoutMs;
  let interval = options.initialIntervalMs;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return { acknowledged: false };
    await sleep(Math.min(interval, remaining));
    const ack = settingAckOf(await readReported(), name, version);
    if (ack.acknowledged) return ack;
    interval = Math.min(options.maxIntervalMs, Math.ceil(interval * 1.5));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
