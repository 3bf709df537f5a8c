import { DeviceJobStatus, FleetEvent } from '@fleetjobs/contracts';

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
}

/**
 * What one job-topic event says about one device of a job. A target chunk speaks about many
 * devices at once, so the projection folds per-device facts rather than whole events.
 */
export type JobDeviceEvent =
  | { type: 'DeviceTargeted'; jobId: string; deviceId: string; displayName: string }
  | { type: 'DeviceSucceeded'; jobId: string; deviceId: string; attempts?: number }
  | { type: 'DeviceFailed'; jobId: string; deviceId: string; error: string; attempts?: number };

/** The per-device facts of an event, in the event's order; none for events about no device. */
export function jobDeviceEvents(event: FleetEvent): JobDeviceEvent[] {
  switch (event.type) {
    case 'JobTargetsResolved':
      return event.data.devices.map((device) => ({
        type: 'DeviceTargeted',
        jobId: event.data.jobId,
        deviceId: device.deviceId,
        displayName: device.displayName,
      }));
    case 'DeviceSucceeded':
      return [{ type: 'DeviceSucceeded', jobId: event.data.jobId, deviceId: event.data.deviceId, attempts: event.data.attempts }];
    case 'DeviceFailed':
      return [{ type: 'DeviceFailed', jobId: event.data.jobId, deviceId: event.data.deviceId, error: event.data.error, attempts: event.data.attempts }];
    default:
      return [];
  }
}

function newRow(event: JobDeviceEvent): JobDeviceRow {
  return { jobId: event.jobId, deviceId: event.deviceId, displayName: null, status: 'pending', error: null, deleted: false, attempts: null };
}

/**
 * Folds one fact into a device row. A pending device moves to its outcome; an outcome is final
 * (never back to pending, never to another outcome), so repeats and late targets change nothing.
 */
export function evolveJobDevice(row: JobDeviceRow | null, event: JobDeviceEvent): JobDeviceRow | null {
  switch (event.type) {
    case 'DeviceTargeted': {
      const base = row ?? newRow(event);
      return base.displayName === event.displayName ? base : { ...base, displayName: event.displayName };
    }
    case 'DeviceSucceeded': {
      const base = row ?? newRow(event);
      return base.status === 'pending' ? { ...base, status: 'completed', error: null, attempts: event.attempts ?? null } : base;
    }
    case 'DeviceFailed': {
      const base = row ?? newRow(event);
      return base.status === 'pending' ? { ...base, status: 'failed', error: event.error, attempts: event.attempts ?? null } : base;
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
    a.attempts === b.attempts
  );
}
