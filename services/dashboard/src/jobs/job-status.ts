import { JobStatus } from '../api/fleetjobs-api.types';

/** A job in one of these states changes no more. */
export function isFinished(status: JobStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'stopped';
}

/** Stop ends a paused job too, for good. */
export function isStoppable(status: JobStatus): boolean {
  return status === 'pending' || status === 'running' || status === 'paused';
}

export function isPausable(status: JobStatus): boolean {
  return status === 'running';
}
