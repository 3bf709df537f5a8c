import { utf8Bytes } from './limits';

/**
 * Azure IoT Hub's documented limits on what a twin and a direct method may hold (Standard tier),
 * checked by the product at its API and by the hub simulator alike:
 * - "Tags and properties format" and "Device twin size" of
 *   https://learn.microsoft.com/azure/iot-hub/iot-hub-devguide-device-twins
 * - "Other limits" of https://learn.microsoft.com/azure/iot-hub/iot-hub-devguide-quotas-throttling
 * - the method-name note of https://learn.microsoft.com/azure/iot-hub/iot-hub-devguide-direct-methods
 */
export const HUB_TWIN_TAGS_BYTES = 8 * 1024;
export const HUB_TWIN_DESIRED_BYTES = 32 * 1024;
export const HUB_TWIN_REPORTED_BYTES = 32 * 1024;
export const HUB_TWIN_KEY_BYTES = 1024;
export const HUB_TWIN_STRING_BYTES = 4 * 1024;
/** Levels of objects below the root of `tags`, `properties/desired` or `properties/reported`. */
export const HUB_TWIN_DEPTH = 10;
export const HUB_TWIN_MIN_INTEGER = -4503599627370496;
export const HUB_TWIN_MAX_INTEGER = 4503599627370495;
export const HUB_METHOD_PAYLOAD_BYTES = 128 * 1024;

// Keys: UTF-8, case-sensitive, no C0/C1 control characters, '.', '$' or space.
const FORBIDDEN_IN_KEY = /[\u0000-\u001f\u007f-\u009f.$ ]/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// Method names: printable US-ASCII without $ ( ) < > @ , ; : \ " / [ ] ? = { } SP HT.
const METHOD_NAME = /^[!#%&'*+\-.0-9A-Z^_`a-z|~]+$/;

/** Why IoT Hub refuses `key` as a twin key, or `null`. */
export function twinKeyProblem(key: string): string | null {
  if (key === '') return 'must not be empty';
  if (FORBIDDEN_IN_KEY.test(key)) return "must not contain '.', '$', a space or a control character (an IoT Hub twin key)";
  if (utf8Bytes(key) > HUB_TWIN_KEY_BYTES) return `must be at most ${HUB_TWIN_KEY_BYTES} bytes (an IoT Hub twin key)`;
  return null;
}

/** Why IoT Hub refuses `name` as a direct method's name, or `null`. */
export function methodNameProblem(name: string): string | null {
  if (METHOD_NAME.test(name)) return null;
  return 'must be printable US-ASCII without spaces or any of $ ( ) < > @ , ; : \\ " / [ ] ? = { } (an IoT Hub method name)';
}

/** The size IoT Hub counts for a twin value: keys and strings in UTF-8 without control characters, numbers 8, booleans 4. */
export function twinSize(value: unknown): number {
  if (typeof value === 'string') return stringSize(value);
  if (typeof value === 'number') return 8;
  if (typeof value === 'boolean') return 4;
  if (Array.isArray(value)) {
    let size = 0;
    for (const item of value) size += twinSize(item);
    return size;
  }
  if (typeof value === 'object' && value !== null) {
    let size = 0;
    for (const key in value) size += stringSize(key) + twinSize((value as Record<string, unknown>)[key]);
    return size;
  }
  return 0;
}

export interface TwinValueProblem {
  /** Where, relative to the checked value: `""` for the value itself, `.key`, `[3]`. */
  path: string;
  message: string;
}

/**
 * What IoT Hub would refuse inside a twin value whose root sits `level` objects below the twin
 * section's root (0 for a whole `tags` or `properties/desired` document): keys, strings of more
 * than 4 KB, integers outside the twin's range, objects nested deeper than 10 levels.
 * Stops after a few problems.
 */
export function twinValueProblems(value: unknown, level = 0): TwinValueProblem[] {
  const problems: TwinValueProblem[] = [];
  walk(value, level, '', problems);
  return problems;
}

const MAX_PROBLEMS = 10;

function walk(value: unknown, level: number, path: string, problems: TwinValueProblem[]): void {
  if (problems.length >= MAX_PROBLEMS) return;
  if (typeof value === 'string') {
    if (value.length > HUB_TWIN_STRING_BYTES / 4 && stringSize(value) > HUB_TWIN_STRING_BYTES) {
      problems.push({ path, message: `must be at most ${HUB_TWIN_STRING_BYTES} bytes: IoT Hub's longest twin string` });
    }
    return;
  }
  if (typeof value === 'number') {
    if (Number.isInteger(value) && (value < HUB_TWIN_MIN_INTEGER || value > HUB_TWIN_MAX_INTEGER)) {
      problems.push({ path, message: `must be between ${HUB_TWIN_MIN_INTEGER} and ${HUB_TWIN_MAX_INTEGER}: IoT Hub's twin integers` });
    }
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (level > HUB_TWIN_DEPTH && (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0)) {
    problems.push({ path, message: `nests deeper than IoT Hub's ${HUB_TWIN_DEPTH} levels of a twin` });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, level + 1, `${path}[${index}]`, problems));
    return;
  }
  for (const key of Object.keys(value)) {
    const keyProblem = twinKeyProblem(key);
    if (keyProblem) {
      problems.push({ path: `${path}.${key}`, message: `name ${keyProblem}` });
      if (problems.length >= MAX_PROBLEMS) return;
      continue;
    }
    walk((value as Record<string, unknown>)[key], level + 1, `${path}.${key}`, problems);
  }
}

function stringSize(text: string): number {
  // Plain ASCII without control characters is by far the common case: its size is its length.
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) {
      ascii = false;
      break;
    }
  }
  return ascii ? text.length : utf8Bytes(text.replace(CONTROL, ''));
}

/**
 * IoT Hub's jobs (`/jobs/v2`: scheduled twin updates and direct methods over a query condition),
 * Standard tiers:
 * - "Jobs operations (create, update, list, delete)" and "Jobs device operations (update twin,
 *   invoke direct method)" of the "Standard tier operations" table, and the "Jobs" row of
 *   "Other limits" (maximum concurrent jobs: 1 for Free and S1, 5 for S2, 10 for S3), of
 *   https://learn.microsoft.com/azure/iot-hub/iot-hub-devguide-quotas-throttling
 * - the query length of https://learn.microsoft.com/azure/iot-hub/query-jobs ("Query expressions
 *   can have a maximum length of 8192 characters"), which bounds a job's `deviceId IN [...]`
 * - the answers of https://learn.microsoft.com/azure/iot-hub/troubleshoot-error-codes: 429004
 *   ThrottlingMaxActiveJobCountExceeded, 409104 JobAlreadyExists, 404002 JobNotFound
 */
export const HUB_QUERY_MAX_CHARS = 8192;
export type HubJobTier = 'S1' | 'S2' | 'S3';

/** Jobs a hub runs at once (queued, scheduled or running); a further one is refused with 429. */
export const HUB_MAX_CONCURRENT_JOBS: Record<HubJobTier, number> = { S1: 1, S2: 5, S3: 10 };

/** Job operations (create, get, cancel, list) per second of a hub of `units` units. */
export function hubJobOperationsPerSecond(tier: HubJobTier, units: number): number {
  return (tier === 'S3' ? 5000 / 60 : 100 / 60) * Math.max(1, Math.floor(units));
}

/**
 * Device operations (one twin update or direct method on one device) per second that the hub's
 * jobs execute, all jobs together: S1 10, S2 the higher of 10 or 1 per unit, S3 50 per unit —
 * a fifth of what direct twin updates get (50, max(50, 5/unit), 250/unit).
 */
export function hubJobDeviceOperationsPerSecond(tier: HubJobTier, units: number): number {
  const u = Math.max(1, Math.floor(units));
  switch (tier) {
    case 'S1':
      return 10;
    case 'S2':
      return Math.max(10, u);
    case 'S3':
      return 50 * u;
  }
}
