import { DeviceJobStatus, FleetEvent } from '@fleetjobs/contracts';
import { toIsoInstant } from './projection-time';

/** One device of one job as the read model keeps it. */
export interface JobDeviceRow {
  jobId: string;
  deviceId: string;
  /** Null while only the device's outcome is known (it arrived before its target chunk). */
  displayName: string | null;
  status: DeviceJobStatus;
  error: string | null;
  /** The device was deleted after the job was created; set in SQL across jobs, kept here. */
  deleted: boolean;
  /** Attempts made on the device, from its outcome; null while pending or when the outcome did not say. */
  attempts: number | null;
  /** When the device was targeted (the target chunk's event time); null until its target arrived. */
  targetedAt: string | null;
  /** When the device reached its outcome (the outcome's own time); null while pending. */
  outcomeAt: string | null;
}

/**
 * What one job-topic event says about one device of a job. A target chunk speaks about many
 * devices at once, so the projection folds per-device facts rather than whole events.
 */
export type JobDeviceEvent =
  | { type: 'DeviceTargeted'; jobId: string; deviceId: string; displayName: string; time: string | null }
  | { type: 'DeviceSucceeded'; jobId: string; deviceId: string; attempts?: number; time: string | null }
  | { type: 'DeviceFailed'; jobId: string; deviceId: string; error: string; attempts?: number; time: string | null };

/** The per-device facts of an event, in the event's order; none for events about no device. */
export function jobDeviceEvents(event: FleetEvent): JobDeviceEvent[] {
  switch (event.type) {
    case 'JobTargetsResolved':
      return event.data.devices.map((device) => ({
        type: 'DeviceTargeted',
        jobId: event.data.jobId,
        deviceId: device.deviceId,
        displayName: device.displayName,
        time: toIsoInstant(event.time),
      }));
    case 'DeviceSucceeded': {
      const { jobId, deviceId, attempts, completedAt } = event.data;
      return [{ type: 'DeviceSucceeded', jobId, deviceId, attempts, time: toIsoInstant(completedAt) ?? toIsoInstant(event.time) }];
    }
    case 'DeviceFailed': {
      const { jobId, deviceId, error, attempts, failedAt } = event.data;
      return [{ type: 'DeviceFailed', jobId, deviceId, error, attempts, time: toIsoInstant(failedAt) ?? toIsoInstant(event.time) }];
    }
    default:
      return [];
  }
}

function newRow(event: JobDeviceEvent): JobDeviceRow {
  return {
    jobId: event.jobId,
    deviceId: event.deviceId,
    displayName: null,
    status: 'pending',
    error: null,
    deleted: false,
    attempts: null,
    targetedAt: null,
    outcomeAt: null,
  };
}

/** The earlier of two instants (ISO strings of one precision compare as text); null when neither is known. */
function earliest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a <= b ? a : b;
}

/**
 * Folds one fact into a device row. A pending device moves to its outcome; an outcome is final
 * (never back to pending, never to another outcome), so repeats and late targets change nothing.
 * The row keeps the events' own times (the earliest target, the outcome's), never the time of
 * folding, so that a replay of the same events writes the same row.
 */
export function evolveJobDevice(row: JobDeviceRow | null, event: JobDeviceEvent): JobDeviceRow | null {
  switch (event.type) {
    case 'DeviceTargeted': {
      const base = row ?? newRow(event);
      const targetedAt = earliest(base.targetedAt, event.time);
      return base.displayName === event.displayName && base.targetedAt === targetedAt ? base : { ...base, displayName: event.displayName, targetedAt };
    }
    case 'DeviceSucceeded': {
      const base = row ?? newRow(event);
      return base.status === 'pending' ? { ...base, status: 'completed', error: null, attempts: event.attempts ?? null, outcomeAt: event.time } : base;
    }
    case 'DeviceFailed': {
      const base = row ?? newRow(event);
      return base.status === 'pending' ? { ...base, status: 'failed', error: event.error, attempts: event.attempts ?? null, outcomeAt: event.time } : base;
    }
    default:
      return row;
  }
}

/** Whether two rows hold the same values (a row folded to no change is not written again). */
export function sameJobDevice(a: JobDeviceRow, b: JobDeviceRow): boolean {
  return (
    a.jobId === b.jobId &&
    a.deviceId === b.deviceId &&
    a.displayName === b.displayName &&
    a.status === b.status &&
    a.error === b.error &&
    a.deleted === b.deleted &&
    a.attempts === b.attempts &&
    a.targetedAt === b.targetedAt &&
    a.outcomeAt === b.outcomeAt
  );
}
