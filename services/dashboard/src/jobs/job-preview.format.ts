import { JobEta, JobOverlap, JobPreview } from '../api/fleetjobs-api.types';

/** A duration in words an operator reads at a glance: "under a second", "45 s", "2 min 5 s", "1 h 3 min". */
export function formatDuration(seconds: number): string {
  if (seconds < 1) return 'under a second';
  const whole = Math.ceil(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  if (minutes > 0) return rest > 0 ? `${minutes} min ${rest} s` : `${minutes} min`;
  return `${rest} s`;
}

/** The ETA in words: "under a second", or "about 2 min 5 s". */
export function etaSummary(seconds: number): string {
  return seconds < 1 ? 'under a second' : `about ${formatDuration(seconds)}`;
}

/** What paces the job, in words. */
export function etaPace(eta: JobEta): string {
  const batches = eta.batches > 1 ? `${eta.batches} batches, ${formatDuration(eta.pauseSeconds)} of pauses between them` : null;
  const pace =
    eta.limitedBy === 'none'
      ? 'no rate of its own: as fast as the devices answer'
      : `paced by ${eta.limitedBy === 'hub' ? "the hub's rate limit" : 'its rollout rate'} at up to ${eta.peakDevicesPerMinute} devices a minute`;
  return batches ? `${batches}; ${pace}` : pace;
}

/** One overlap in words: how many devices both jobs target, and what both write on them. */
export function overlapText(overlap: JobOverlap): string {
  const devices = `${overlap.sharedDevices} shared device${overlap.sharedDevices === 1 ? '' : 's'}`;
  if (overlap.sameWrites.length === 0) return `${devices}; it writes none of the same properties or settings`;
  return `${devices}; it also writes ${overlap.sameWrites.map((write) => `${write.type} ${write.name}`).join(', ')}`;
}

/** What Run would do about the active jobs writing the same, in words; null when none does. */
export function conflictText(conflict: JobPreview['conflict'], overlaps: readonly JobOverlap[]): string | null {
  if (conflict.jobs.length === 0) return null;
  const names = conflict.jobs.map((jobId) => overlaps.find((overlap) => overlap.jobId === jobId)?.displayName || jobId).join(', ');
  if (conflict.outcome === 'refuse') return `Run would be refused: ${names} write${conflict.jobs.length === 1 ? 's' : ''} the same on these devices. Queue the job or run it beside them.`;
  if (conflict.outcome === 'queue') return `The job would wait, pending, until ${names} ended, then start by itself.`;
  return `The job would run beside ${names}, writing the same on the shared devices.`;
}
