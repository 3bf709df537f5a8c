import { JobStatus } from '../api/fleetjobs-api.types';

/** A job in one of these states changes no more. */
export function isFinished(status: JobStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'stopped';
}

export function isStoppable(status: JobStatus): boolean {
  return status === 'pending' || status === 'running';
}
