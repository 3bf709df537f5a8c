import { isPlainObject } from './json-merge-patch';

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
