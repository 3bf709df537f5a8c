import { DeviceJobStatus, JobOperation, JobStatus } from '@fleetjobs/contracts';

/** A job as the REST API and the live stream show it (PRODUCT.md §2). */
export interface JobView {
  id: string;
  displayName: string;
  description: string;
  deviceSet: string;
  devices: string[] | null;
  operations: JobOperation[];
  status: JobStatus;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  counts: { total: number; pending: number; completed: number; failed: number };
}

/** One device of a job as the REST API shows it. */
export interface JobDeviceView {
  deviceId: string;
  displayName: string | null;
  status: DeviceJobStatus;
  error: string | null;
  deleted: boolean;
}
