import { QueryParseError } from './device-query.parser';

/**
 * The job queries IoT Hub answers over `devices.jobs`: `SELECT * FROM devices.jobs
 * [WHERE devices.jobs.<field> = '<value>' [AND ...]]`, with `<field>` one of jobId, deviceId,
 * status or jobType. As on IoT Hub, only `SELECT *` is possible (no projections).
 */
export type DeviceJobsField = 'jobId' | 'deviceId' | 'status' | 'jobType';
export interface DeviceJobsQuery {
  conditions: { field: DeviceJobsField; value: string }[];
}

const FIELDS: readonly DeviceJobsField[] = ['jobId', 'deviceId', 'status', 'jobType'];
const FROM_JOBS = /^\s*SELECT\s+\*\s+FROM\s+devices\.jobs\b/i;
const CONDITION = /^\s*devices\.jobs\.([A-Za-z]+)\s*=\s*'((?:[^'\\]|\\.|'')*)'\s*/;

/** Whether the query is over `devices.jobs` rather than the twins. */
export function isDeviceJobsQuery(text: string): boolean {
  return /\bFROM\s+devices\.jobs\b/i.test(text);
}

export function parseDeviceJobsQuery(text: string): DeviceJobsQuery {
  const from = FROM_JOBS.exec(text);
  if (!from) throw new QueryParseError('queries on devices.jobs support only SELECT *');
  let rest = text.slice(from[0].length).trim();
  const conditions: DeviceJobsQuery['conditions'] = [];
  if (rest === '') return { conditions };
  const where = /^WHERE\s+/i.exec(rest);
  if (!where) throw new QueryParseError(`expected WHERE but found ${rest.slice(0, 20)}`);
  rest = rest.slice(where[0].length);
  for (;;) {
    const match = CONDITION.exec(rest);
    if (!match) throw new QueryParseError(`expected devices.jobs.<field> = '<value>' at "${rest.slice(0, 30)}"`);
    const field = match[1] as DeviceJobsField;
    if (!FIELDS.includes(field)) throw new QueryParseError(`unsupported field devices.jobs.${match[1]}`);
    conditions.push({ field, value: match[2].replace(/\\(.)/g, '$1').replace(/''/g, "'") });
    rest = rest.slice(match[0].length);
    if (rest === '') return { conditions };
    const and = /^AND\s+/i.exec(rest);
    if (!and) throw new QueryParseError(`expected AND but found ${rest.slice(0, 20)}`);
    rest = rest.slice(and[0].length);
  }
}
