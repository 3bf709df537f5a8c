import { randomUUID } from 'node:crypto';
import {
  DeviceDeleted,
  DeviceFailed,
  DeviceRegistered,
  DeviceSucceeded,
  EventEnvelope,
  FleetEvent,
  JobApproved,
  JobCompleted,
  JobCreated,
  JobFailed,
  JobPaused,
  JobResumed,
  JobSettled,
  JobStarted,
  JobStopped,
  JobTargetingCompleted,
  JobTargetingFailed,
  JobTargetsResolved,
  TOPICS,
  toWireMessage,
} from '@fleetjobs/contracts';
import type { ConsumedMessage } from '@fleetjobs/messaging';

/** Builders of the events the projection consumes, with the ids and times tests care about. */
function envelope<T extends FleetEvent>(type: T['type'], subject: string, data: T['data'], time: string): T {
  return { id: randomUUID(), type, version: 1, source: '/fleetjobs/test', subject, time, data } as T;
}

const NOW = '2026-03-01T10:00:00.000Z';

export const aJobCreated = (jobId: string, overrides: Partial<JobCreated['data']> = {}): JobCreated =>
  envelope<JobCreated>('JobCreated', jobId, {
    jobId,
    displayName: `Job ${jobId}`,
    description: 'Raise fan speed',
    deviceSet: 'seattle-vms',
    devices: null,
    operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
    template: 'vending-machine',
    createdAt: NOW,
    ...overrides,
  }, overrides.createdAt ?? NOW);

export const aJobApproved = (jobId: string, approvedAt = '2026-03-01T10:01:00.000Z', approvedBy = { id: 'user:bob', name: 'Bob' }): JobApproved =>
  envelope<JobApproved>('JobApproved', jobId, { jobId, approvedAt, approvedBy }, approvedAt);

export const aJobStarted = (jobId: string, total = 0, startedAt = '2026-03-01T10:00:01.000Z'): JobStarted =>
  envelope<JobStarted>('JobStarted', jobId, { jobId, total, startedAt }, startedAt);

export const aJobStopped = (jobId: string, stoppedAt = '2026-03-01T10:05:00.000Z'): JobStopped =>
  envelope<JobStopped>('JobStopped', jobId, { jobId, stoppedAt }, stoppedAt);

export const aJobPaused = (jobId: string, pausedAt = '2026-03-01T10:03:00.000Z'): JobPaused =>
  envelope<JobPaused>('JobPaused', jobId, { jobId, pausedAt }, pausedAt);

export const aJobResumed = (jobId: string, resumedAt = '2026-03-01T10:04:00.000Z'): JobResumed =>
  envelope<JobResumed>('JobResumed', jobId, { jobId, resumedAt }, resumedAt);

export const aJobCompleted = (jobId: string, endedAt = '2026-03-01T10:06:00.000Z'): JobCompleted =>
  envelope<JobCompleted>('JobCompleted', jobId, { jobId, completed: 0, endedAt }, endedAt);

export const aJobFailed = (jobId: string, reason = 'some devices failed', endedAt = '2026-03-01T10:06:00.000Z'): JobFailed =>
  envelope<JobFailed>('JobFailed', jobId, { jobId, reason, completed: 0, failed: 0, endedAt }, endedAt);

export const aJobSettled = (jobId: string, status: JobSettled['data']['status'] = 'stopped', settledAt = '2026-03-01T10:07:00.000Z'): JobSettled =>
  envelope<JobSettled>('JobSettled', jobId, { jobId, status, completed: 1, failed: 0, notStarted: 2, settledAt }, settledAt);

export const aJobTargetsResolved = (jobId: string, deviceIds: string[], chunk = 0): JobTargetsResolved =>
  envelope<JobTargetsResolved>('JobTargetsResolved', jobId, {
    jobId,
    chunk,
    devices: deviceIds.map((deviceId) => ({ deviceId, displayName: `Device ${deviceId}` })),
  }, NOW);

export const aJobTargetingCompleted = (jobId: string, total: number): JobTargetingCompleted =>
  envelope<JobTargetingCompleted>('JobTargetingCompleted', jobId, { jobId, total, chunks: 1 }, NOW);

export const aJobTargetingFailed = (jobId: string, reason = 'device set "x" is broken'): JobTargetingFailed =>
  envelope<JobTargetingFailed>('JobTargetingFailed', jobId, { jobId, reason }, NOW);

export const aDeviceSucceeded = (jobId: string, deviceId: string): DeviceSucceeded =>
  envelope<DeviceSucceeded>('DeviceSucceeded', jobId, { jobId, deviceId, completedAt: NOW }, NOW);

export const aDeviceFailed = (jobId: string, deviceId: string, error = 'device is offline'): DeviceFailed =>
  envelope<DeviceFailed>('DeviceFailed', jobId, { jobId, deviceId, error, failedAt: NOW }, NOW);

export const aDeviceDeleted = (deviceId: string, deletedAt: string): DeviceDeleted =>
  envelope<DeviceDeleted>('DeviceDeleted', deviceId, { deviceId, deletedAt }, deletedAt);

export const aDeviceRegistered = (deviceId: string, time: string): DeviceRegistered =>
  envelope<DeviceRegistered>('DeviceRegistered', deviceId, {
    deviceId,
    displayName: `Device ${deviceId}`,
    template: 'vending-machine',
    tags: {},
    origin: 'api',
  }, time);

/** An event type this release does not know, as a newer producer might send it. */
export const anUnknownEvent = (jobId: string): FleetEvent =>
  ({ id: randomUUID(), type: 'JobRenamed', version: 1, source: '/fleetjobs/test', subject: jobId, time: NOW, data: { jobId } }) as unknown as FleetEvent;

/** Events as the event log hands them to a consumer, with consecutive offsets from `firstOffset`. */
export function asConsumed(topic: string, events: EventEnvelope[], firstOffset = 0): ConsumedMessage[] {
  return events.map((event, index) => ({ ...toWireMessage(topic, event), partition: 0, offset: String(firstOffset + index) }));
}

export const asJobMessages = (events: EventEnvelope[], firstOffset = 0) => asConsumed(TOPICS.jobs, events, firstOffset);
export const asDeviceMessages = (events: EventEnvelope[], firstOffset = 0) => asConsumed(TOPICS.devices, events, firstOffset);
