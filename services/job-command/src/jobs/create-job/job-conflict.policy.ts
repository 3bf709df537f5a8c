import type { JobOverlap, SharedWrite } from '../preview/job-overlap.model';

/** What a new job does about active jobs writing what it writes on the same devices. */
export const ON_CONFLICT = ['refuse', 'queue', 'allow'] as const;
export type OnConflict = (typeof ON_CONFLICT)[number];

/** An active job that writes the same property or setting on some of the new job's devices. */
export interface JobConflict {
  jobId: string;
  displayName: string;
  status: string;
  sharedDevices: number;
  sameWrites: SharedWrite[];
}

export type ConflictDecision =
  | { outcome: 'create'; conflicts: JobConflict[] }
  | { outcome: 'refuse'; conflicts: JobConflict[] }
  | { outcome: 'queue'; conflicts: JobConflict[]; waitingFor: string[] };

/**
 * Which overlaps conflict: an active job sharing at least one device AND writing at least one of
 * the same properties or settings. Two writes of one name on one device race (the last one wins,
 * and neither job's outcome says which); commands are not writes — a device runs one method
 * after another and each outcome is the job's own — so commands never conflict, and a job that
 * only shares devices without a common write is only shown in the preview.
 */
export function conflictsAmong(overlaps: readonly JobOverlap[]): JobConflict[] {
  return overlaps
    .filter((overlap) => overlap.sharedDevices > 0 && overlap.sameWrites.length > 0)
    .map(({ jobId, displayName, status, sharedDevices, sameWrites }) => ({ jobId, displayName, status, sharedDevices, sameWrites }));
}

/** `refuse` (the default) refuses a conflicting job, `queue` creates it waiting for the conflicting jobs to end, `allow` creates it as it is. */
export function decideOnConflict(onConflict: OnConflict, overlaps: readonly JobOverlap[]): ConflictDecision {
  const conflicts = conflictsAmong(overlaps);
  if (conflicts.length === 0 || onConflict === 'allow') return { outcome: 'create', conflicts };
  if (onConflict === 'refuse') return { outcome: 'refuse', conflicts };
  return { outcome: 'queue', conflicts, waitingFor: conflicts.map((conflict) => conflict.jobId).sort() };
}

/** Whether a job can conflict at all: only a job writing a property or a setting can. */
export function mayConflict(operations: readonly { type: string }[]): boolean {
  return operations.some(isWrite);
}

/** A job already queued behind some of the same jobs, with what it writes. */
export interface QueuedPeer {
  jobId: string;
  waitsFor: readonly string[];
  operations: readonly { type: string; name: string }[];
}

/**
 * The jobs a queued job waits for: the conflicting active jobs, and the jobs already queued behind
 * any of them that write one of the same properties or settings. A queued job's targets are not
 * resolved yet, so no overlap can name it; without this, two jobs queued behind one job would
 * start side by side when it ends. With it they start one after the other, in creation order.
 */
export function queueBehind(
  waitingFor: readonly string[],
  operations: readonly { type: string; name: string }[],
  peers: readonly QueuedPeer[],
): string[] {
  const writes = new Set(operations.filter(isWrite).map(writeKey));
  const conflicting = new Set(waitingFor);
  const behind = peers.filter(
    (peer) => peer.waitsFor.some((jobId) => conflicting.has(jobId)) && peer.operations.some((operation) => isWrite(operation) && writes.has(writeKey(operation))),
  );
  return [...new Set([...waitingFor, ...behind.map((peer) => peer.jobId)])].sort();
}

const isWrite = (operation: { type: string }) => operation.type === 'property' || operation.type === 'setting';
const writeKey = (operation: { type: string; name: string }) => `${operation.type}\u0000${operation.name}`;
