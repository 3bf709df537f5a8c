import { HUB_QUERY_MAX_CHARS } from '@fleetjobs/contracts';

/** What IoT Hub runs a job's condition as: its length is what the query limit bounds. */
const QUERY_PREFIX = 'SELECT * FROM devices WHERE ';

/**
 * Job conditions `deviceId IN ['a', 'b', ...]` that together name every device once, each as
 * long as IoT Hub's query limit allows (8,192 characters with `SELECT * FROM devices WHERE `).
 */
export function deviceIdConditions(deviceIds: readonly string[], maxChars = HUB_QUERY_MAX_CHARS): string[] {
  const conditions: string[] = [];
  let names: string[] = [];
  let length = 0;
  const fixed = QUERY_PREFIX.length + 'deviceId IN []'.length;
  for (const deviceId of deviceIds) {
    const name = `'${deviceId.replace(/'/g, "''")}'`;
    const added = name.length + (names.length > 0 ? 2 : 0);
    if (fixed + name.length > maxChars) throw new Error(`device id ${deviceId} is too long for one job condition`);
    if (names.length > 0 && fixed + length + added > maxChars) {
      conditions.push(`deviceId IN [${names.join(', ')}]`);
      names = [];
      length = 0;
    }
    length += names.length > 0 ? name.length + 2 : name.length;
    names.push(name);
  }
  if (names.length > 0) conditions.push(`deviceId IN [${names.join(', ')}]`);
  return conditions;
}
