import { randomUUID } from 'node:crypto';
import { DeviceFailed, DeviceSucceeded, JobRolloutProgressed, JobRolloutProgressedData } from '@fleetjobs/contracts';

const NOW = '2026-03-01T10:00:00.000Z';

/** A job's rollout progress; the id derives from job and sequence, as the dispatcher makes it. */
export const aJobRolloutProgressed = (jobId: string, sequence: number, overrides: Partial<JobRolloutProgressedData> = {}): JobRolloutProgressed => ({
  id: `${jobId}:rollout-progress:${sequence}`,
  type: 'JobRolloutProgressed',
  version: 1,
  source: '/fleetjobs/test',
  subject: jobId,
  time: NOW,
  data: {
    jobId,
    currentBatch: 0,
    batchCount: 4,
    batch: { index: 0, size: 25, completed: 0, failed: 0, state: 'running' },
    ratePerMinute: 600,
    rateReason: 'starting at 600/min',
    pausedUntil: null,
    sequence,
    ...overrides,
  },
});

export const aDeviceSucceededAfter = (jobId: string, deviceId: string, attempts: number): DeviceSucceeded => ({
  id: randomUUID(),
  type: 'DeviceSucceeded',
  version: 1,
  source: '/fleetjobs/test',
  subject: jobId,
  time: NOW,
  data: { jobId, deviceId, completedAt: NOW, attempts },
});

export const aDeviceFailedAfter = (jobId: string, deviceId: string, attempts: number, error = 'device is offline'): DeviceFailed => ({
  id: randomUUID(),
  type: 'DeviceFailed',
  version: 1,
  source: '/fleetjobs/test',
  subject: jobId,
  time: NOW,
  data: { jobId, deviceId, error, failedAt: NOW, attempts },
});
