/** What a job does on each device; `name` must exist in the devices' template with that kind. */
export type OperationType = 'property' | 'setting' | 'command';

export const OPERATION_TYPES: readonly OperationType[] = ['property', 'setting', 'command'];

export interface JobOperation {
  type: OperationType;
  name: string;
  value: unknown;
}

/** Status words of the public contract (PRODUCT.md §1); `paused` until resumed. */
export type JobStatus = 'pending' | 'running' | 'paused' | 'completed' | 'failed' | 'stopped';
export const JOB_STATUSES: readonly JobStatus[] = ['pending', 'running', 'paused', 'completed', 'failed', 'stopped'];

export type DeviceJobStatus = 'pending' | 'completed' | 'failed';
export const DEVICE_JOB_STATUSES: readonly DeviceJobStatus[] = ['pending', 'completed', 'failed'];
