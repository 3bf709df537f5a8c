import { MAX_EXPLICIT_DEVICES, MAX_EXPLICIT_DEVICES_BYTES } from '@fleetjobs/contracts';
import type { FieldError } from '@fleetjobs/http-kit';
import { JobState, visibleStatus } from '../job.decider';
import { JobNotFound, JobStillActive } from '../job.errors';

/** Which devices a rerun targets: the original's failed ones, all of its devices, or the listed ones. */
export type RerunDevices = 'failed' | 'all' | string[];

/**
 * The rerun's devices: an explicit list, or null for the original's whole set; or why not; or
 * `later` while the read model knows fewer failed devices than the job's end counted.
 */
export type RerunSelection = { ok: true; devices: string[] | null } | { ok: false; errors: FieldError[] } | { ok: 'later'; detail: string };

/** What the read model knows of the original job's devices, as far as the request needs it. */
export interface OriginalDeviceOutcomes {
  /** The original's failed devices (asked `failed`), at most MAX_EXPLICIT_DEVICES + 1 of them. */
  failed?: string[];
  /** Of the listed devices, those the original job did not target (asked a list). */
  outside?: string[];
}

/** The original job, if it can be rerun at all: it exists and has ended. */
export function rerunnable(jobId: string, state: JobState): Exclude<JobState, { status: 'none' }> {
  if (state.status === 'none') throw new JobNotFound(jobId);
  const status = visibleStatus(state);
  if (status === 'pending' || status === 'running' || status === 'paused') throw new JobStillActive(jobId, status);
  return state;
}

/**
 * The rerun's device list. `all` repeats the original's devices as it named them (its whole set
 * when it named none); `failed` and a list name devices, at most MAX_EXPLICIT_DEVICES, each of
 * them targeted by the original.
 */
export function selectRerunDevices(
  original: Exclude<JobState, { status: 'none' }>,
  asked: RerunDevices,
  known: OriginalDeviceOutcomes,
): RerunSelection {
  if (asked === 'all') return { ok: true, devices: original.definition.devices };
  if (asked === 'failed') {
    const failed = known.failed ?? [];
    const counted = original.failedCount;
    if (counted !== null && failed.length < counted && failed.length <= MAX_EXPLICIT_DEVICES) {
      return { ok: 'later', detail: `${counted} devices failed, of which the read model knows ${failed.length} so far; try again shortly` };
    }
    if (failed.length === 0) return refused('has no failed devices to rerun: the original job has none');
    if (failed.length > MAX_EXPLICIT_DEVICES || Buffer.byteLength(JSON.stringify(failed)) > MAX_EXPLICIT_DEVICES_BYTES) {
      return refused(`names more than ${MAX_EXPLICIT_DEVICES} failed devices, the most a job may name; rerun a list of them instead`);
    }
    return { ok: true, devices: [...failed].sort() };
  }
  const listed = new Set(original.definition.devices ?? []);
  const outside = original.definition.devices ? asked.filter((id) => !listed.has(id)) : (known.outside ?? []);
  if (outside.length > 0) {
    const positions = new Map(asked.map((id, index) => [id, index]));
    return {
      ok: false,
      errors: outside.map((id) => ({ field: `devices[${positions.get(id) ?? 0}]`, message: `"${id}" was not a device of the original job` })),
    };
  }
  return { ok: true, devices: [...asked] };
}

function refused(message: string): RerunSelection {
  return { ok: false, errors: [{ field: 'devices', message }] };
}
