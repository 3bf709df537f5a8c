import { HUB_QUERY_MAX_CHARS } from '@fleetjobs/contracts';
import { DeviceQuery, parseDeviceQuery, QueryParseError } from './device-query.parser';
import { isJsonObject, JsonObject, TwinPatch } from './twin-document';

/**
 * IoT Hub's jobs as `/jobs/v2` speaks them (azure-iothub's JobClient): a job runs one twin update
 * (`scheduleUpdateTwin`) or one direct method (`scheduleDeviceMethod`) on every device its query
 * condition selects, from its start time, for at most `maxExecutionTimeInSeconds`.
 */
export type HubJobType = 'scheduleUpdateTwin' | 'scheduleDeviceMethod';
export type HubJobStatus = 'queued' | 'scheduled' | 'running' | 'completed' | 'failed' | 'cancelled';
export type DeviceJobStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';

/** Statuses that count against the hub's concurrent-jobs limit. */
export const ACTIVE_JOB_STATUSES: readonly HubJobStatus[] = ['queued', 'scheduled', 'running'];
export const JOB_TYPES: readonly HubJobType[] = ['scheduleUpdateTwin', 'scheduleDeviceMethod'];
/** The SDK's default when the caller gives none. */
const DEFAULT_MAX_EXECUTION_SECONDS = 3600;
const DEFAULT_METHOD_TIMEOUT_SECONDS = 30;
const MAX_METHOD_TIMEOUT_SECONDS = 300;

export interface JobMethod {
  methodName: string;
  payload: unknown;
  responseTimeoutInSeconds: number;
  connectTimeoutInSeconds: number;
}

/** A job as created: what it does, on which devices, when. */
export interface HubJobSpec {
  jobId: string;
  type: HubJobType;
  queryCondition: string;
  /** The condition as the device query it stands for (`SELECT * FROM devices WHERE <condition>`). */
  query: DeviceQuery;
  updateTwin: TwinPatch | null;
  method: JobMethod | null;
  startTime: Date;
  maxExecutionSeconds: number;
}

/** A job as stored, with its devices counted by status. */
export interface HubJobRecord {
  jobId: string;
  type: HubJobType;
  queryCondition: string;
  updateTwin: JsonObject | null;
  method: JobMethod | null;
  status: HubJobStatus;
  createdTime: Date;
  startTime: Date;
  endTime: Date | null;
  maxExecutionSeconds: number;
  failureReason: string | null;
  statusMessage: string | null;
  counts: Partial<Record<DeviceJobStatus, number>>;
}

/** One device's part in a job, as `devices.jobs` answers it. */
export interface DeviceJobRecord {
  jobId: string;
  jobType: HubJobType;
  jobCreatedTime: Date;
  deviceId: string;
  status: DeviceJobStatus;
  startTime: Date | null;
  endTime: Date | null;
  updatedAt: Date;
  outcome: JsonObject | null;
  error: JsonObject | null;
}

/** The job a `PUT /jobs/v2/{id}` body describes, or why IoT Hub would refuse it (400). */
export function readJobRequest(jobId: string, body: unknown, nowMs: number): HubJobSpec | string {
  if (!isJsonObject(body)) return 'the job must be a JSON object';
  if (body['jobId'] !== undefined && body['jobId'] !== jobId) return 'the jobId in the body does not match the path';
  const type = body['type'];
  if (!JOB_TYPES.includes(type as HubJobType)) return `type must be one of ${JOB_TYPES.join(', ')}`;
  const queryCondition = body['queryCondition'];
  if (typeof queryCondition !== 'string' || queryCondition.trim() === '') return 'queryCondition is required';
  const text = `SELECT * FROM devices WHERE ${queryCondition}`;
  if (text.length > HUB_QUERY_MAX_CHARS) {
    return `the query is ${text.length} characters, over IoT Hub's limit of ${HUB_QUERY_MAX_CHARS}`;
  }
  let query: DeviceQuery;
  try {
    query = parseDeviceQuery(text);
  } catch (error) {
    if (error instanceof QueryParseError) return `invalid queryCondition: ${error.message}`;
    throw error;
  }
  const startTime = readStartTime(body['startTime'], nowMs);
  if (typeof startTime === 'string') return startTime;
  const maxExecution = body['maxExecutionTimeInSeconds'] ?? DEFAULT_MAX_EXECUTION_SECONDS;
  if (typeof maxExecution !== 'number' || !Number.isInteger(maxExecution) || maxExecution < 1) {
    return 'maxExecutionTimeInSeconds must be a whole number of seconds, at least 1';
  }
  const common = { jobId, queryCondition, query, startTime, maxExecutionSeconds: maxExecution };
  if (type === 'scheduleUpdateTwin') {
    const updateTwin = readUpdateTwin(body['updateTwin']);
    return typeof updateTwin === 'string' ? updateTwin : { ...common, type, updateTwin, method: null };
  }
  const method = readMethod(body['cloudToDeviceMethod']);
  return typeof method === 'string' ? method : { ...common, type: 'scheduleDeviceMethod', updateTwin: null, method };
}

function readStartTime(value: unknown, nowMs: number): Date | string {
  if (value === undefined || value === null) return new Date(nowMs);
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(ms) ? 'startTime must be an ISO 8601 time' : new Date(ms);
}

/** The patch of `updateTwin`: tags and desired properties (its `etag` and `deviceId` are ignored, as a job writes every device). */
function readUpdateTwin(value: unknown): TwinPatch | string {
  if (!isJsonObject(value)) return 'updateTwin must be a JSON object';
  const { tags, properties } = value;
  if (tags !== undefined && tags !== null && !isJsonObject(tags)) return 'updateTwin.tags must be a JSON object';
  if (properties !== undefined && properties !== null && !isJsonObject(properties)) return 'updateTwin.properties must be a JSON object';
  const desired = isJsonObject(properties) ? properties['desired'] : undefined;
  const reported = isJsonObject(properties) ? properties['reported'] : undefined;
  if (isJsonObject(reported) && Object.keys(reported).length > 0) return 'reported properties are written by the device';
  if (desired !== undefined && desired !== null && !isJsonObject(desired)) return 'updateTwin.properties.desired must be a JSON object';
  const patch: TwinPatch = {
    ...(isJsonObject(tags) && Object.keys(tags).length > 0 ? { tags } : {}),
    ...(isJsonObject(desired) && Object.keys(desired).length > 0 ? { desired } : {}),
  };
  return patch;
}

function readMethod(value: unknown): JobMethod | string {
  if (!isJsonObject(value) || typeof value['methodName'] !== 'string' || value['methodName'] === '') {
    return 'cloudToDeviceMethod.methodName is required';
  }
  return {
    methodName: value['methodName'],
    payload: value['payload'] ?? null,
    // The SDK sends responseTimeoutInSeconds; older clients timeoutInSeconds.
    responseTimeoutInSeconds: seconds(value['responseTimeoutInSeconds'] ?? value['timeoutInSeconds'], DEFAULT_METHOD_TIMEOUT_SECONDS),
    connectTimeoutInSeconds: seconds(value['connectTimeoutInSeconds'], 0),
  };
}

function seconds(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.min(MAX_METHOD_TIMEOUT_SECONDS, value) : fallback;
}

/** A job as IoT Hub answers it (`JobResponse`), with its device statistics. */
export function renderJob(job: HubJobRecord): JsonObject {
  const count = (status: DeviceJobStatus): number => job.counts[status] ?? 0;
  const deviceCount = Object.values(job.counts).reduce((sum: number, value) => sum + (value ?? 0), 0);
  return {
    jobId: job.jobId,
    queryCondition: job.queryCondition,
    createdTime: job.createdTime.toISOString(),
    startTime: job.startTime.toISOString(),
    ...(job.endTime ? { endTime: job.endTime.toISOString() } : {}),
    maxExecutionTimeInSeconds: job.maxExecutionSeconds,
    type: job.type,
    ...(job.method ? { cloudToDeviceMethod: job.method } : {}),
    ...(job.updateTwin ? { updateTwin: job.updateTwin } : {}),
    status: job.status,
    ...(job.failureReason ? { failureReason: job.failureReason } : {}),
    ...(job.statusMessage ? { statusMessage: job.statusMessage } : {}),
    deviceJobStatistics: {
      deviceCount,
      failedCount: count('failed'),
      succeededCount: count('completed'),
      runningCount: count('running'),
      pendingCount: count('pending'),
    },
  };
}

/** One item of `SELECT * FROM devices.jobs`. */
export function renderDeviceJob(device: DeviceJobRecord): JsonObject {
  return {
    deviceId: device.deviceId,
    jobId: device.jobId,
    jobType: device.jobType,
    status: device.status,
    ...(device.startTime ? { startTimeUtc: device.startTime.toISOString() } : {}),
    ...(device.endTime ? { endTimeUtc: device.endTime.toISOString() } : {}),
    createdDateTimeUtc: device.jobCreatedTime.toISOString(),
    lastUpdatedDateTimeUtc: device.updatedAt.toISOString(),
    outcome: device.outcome ?? { deviceMethodResponse: null },
    ...(device.error ? { error: device.error } : {}),
  };
}
