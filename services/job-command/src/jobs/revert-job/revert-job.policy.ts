import { DomainError } from '@fleetjobs/event-sourcing';
import { JobOperation, MAX_JOB_DESCRIPTION, MAX_JOB_DISPLAY_NAME } from '@fleetjobs/contracts';
import { JobDefinition, JobState, visibleStatus } from '../job.decider';
import { JobNotFound, JobStillActive } from '../job.errors';

/** The job has no property or setting to put back: it only runs commands. */
export class NothingToRevert extends DomainError {
  readonly code = 'nothing-to-revert';
  constructor(readonly jobId: string) {
    super(`job "${jobId}" writes no property or setting, and only those can be reverted`);
  }
}

/** The job, if it can be reverted: it exists, has ended, and writes a property or a setting. */
export function revertible(jobId: string, state: JobState): Exclude<JobState, { status: 'none' }> {
  if (state.status === 'none') throw new JobNotFound(jobId);
  const status = visibleStatus(state);
  if (status === 'pending' || status === 'running' || status === 'paused') throw new JobStillActive(jobId, status);
  if (revertedOperations(state.definition.operations).length === 0) throw new NothingToRevert(jobId);
  return state;
}

/**
 * The inverse job's definition: the original's properties and settings (each type and name once,
 * commands left out) on the devices it named (its whole set when it named none), with its rollout
 * but never its schedule. Each operation keeps the value the original wrote, which the revert
 * undoes; per device, the dispatcher puts back what that write replaced there.
 */
export function revertDefinition(jobId: string, original: JobDefinition): JobDefinition {
  return {
    displayName: clip(`Revert: ${original.displayName}`, MAX_JOB_DISPLAY_NAME),
    description: clip(`Puts back the values that job "${jobId}" replaced.`, MAX_JOB_DESCRIPTION),
    deviceSet: original.deviceSet,
    devices: original.devices,
    operations: revertedOperations(original.operations),
    ...(original.rollout ? { rollout: original.rollout } : {}),
    revertOf: jobId,
  };
}

/** Properties and settings, each type and name once: the first write of each replaced what was there before the job. */
function revertedOperations(operations: JobOperation[]): JobOperation[] {
  const seen = new Set<string>();
  return operations.filter((operation) => {
    const key = `${operation.type}:${operation.name}`;
    if (operation.type === 'command' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function clip(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
