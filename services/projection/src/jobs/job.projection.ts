import { Actor, FleetEvent, JobOperation, JobSchedule, JobStatus, Rollout } from '@fleetjobs/contracts';
import { toIsoInstant } from './projection-time';

/**
 * One job as the read model keeps it. Device counts are not part of it: each write of a device
 * row adds its change to them (`countChange`), under the job row's lock.
 */
export interface JobRow {
  id: string;
  displayName: string;
  description: string;
  deviceSet: string;
  devices: string[] | null;
  operations: JobOperation[];
  status: JobStatus;
  error: string | null;
  /** Null while the row is a placeholder: later events arrived before `JobCreated`. */
  createdAt: string | null;
  startedAt: string | null;
  endedAt: string | null;
  /** How many devices targeting announced; null until it finished. */
  targetTotal: number | null;
  /** The job's rollout as created; null for a job without one. */
  rollout: Rollout | null;
  /** Who created the job (the actor of `JobCreated`); null when no actor was recorded. */
  createdBy: ActorRef | null;
  /** Who stopped the job (the actor of the `JobStopped` that ended it); null otherwise. */
  stoppedBy: ActorRef | null;
  /** The two-person rule: null when the job needs no approval; it stays pending until `approvedAt`. */
  approval: JobApproval | null;
  /** The job this one reruns; null for a job created from a body. */
  rerunOf: string | null;
  /** The job this one reverts; absent or null for any other job. */
  revertOf?: string | null;
  /** The recurring schedule the job is a run of, and which run; absent or null for any other job. */
  scheduleId?: string | null;
  scheduleRun?: number | null;
  /** When the job may start, as created; null for a job that starts at once. */
  schedule: JobSchedule | null;
  /** When its scheduled start was reached (`JobStartReached`); null until then. */
  startReachedAt: string | null;
  /** The jobs it was queued behind (`onConflict: queue`); empty when it was not queued. */
  waitingFor: string[];
  /** When the queue released it (`JobReleased`); null until then or when it was not queued. */
  releasedAt: string | null;
  /** When its last event (`JobSettled`) came: its outcomes are final; null until then. */
  settledAt: string | null;
}

export interface JobApproval {
  required: true;
  reason: string;
  approvedBy: ActorRef | null;
  approvedAt: string | null;
}

/** A person or script as a job names them: the actor's id and name. */
export interface ActorRef {
  id: string;
  name: string;
}

const refOf = (actor: Actor | undefined): ActorRef | null => (actor ? { id: actor.id, name: actor.name } : null);

export const TERMINAL_JOB_STATUSES: readonly JobStatus[] = ['stopped', 'completed', 'failed'];

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_JOB_STATUSES.includes(status);
}

/** The row a job gets from its first event when that event is not `JobCreated`. */
export function placeholderJob(id: string): JobRow {
  return {
    id,
    displayName: '',
    description: '',
    deviceSet: '',
    devices: null,
    operations: [],
    status: 'pending',
    error: null,
    createdAt: null,
    startedAt: null,
    endedAt: null,
    targetTotal: null,
    rollout: null,
    createdBy: null,
    stoppedBy: null,
    approval: null,
    rerunOf: null,
    schedule: null,
    startReachedAt: null,
    waitingFor: [],
    releasedAt: null,
    settledAt: null,
  };
}

/** The job an event of the jobs topic belongs to; null for events that concern no job. */
export function jobIdOf(event: FleetEvent): string | null {
  const data = event.data as { jobId?: unknown };
  return typeof data.jobId === 'string' ? data.jobId : null;
}

function end(row: JobRow, status: JobStatus, endedAt: string | null, error: string | null): JobRow {
  if (isTerminal(row.status)) return row;
  return { ...row, status, endedAt, error: error ?? row.error };
}

/**
 * Folds one event into a job row. Tolerates any order and repetition: a terminal status never
 * changes again, the definition is written once, and events for a job not yet defined create a
 * placeholder that `JobCreated` fills in later. Events that do not concern the row leave it as is.
 */
export function evolveJob(row: JobRow | null, event: FleetEvent): JobRow | null {
  switch (event.type) {
    case 'JobCreated': {
      const base = row ?? placeholderJob(event.data.jobId);
      if (base.createdAt !== null) return base;
      const d = event.data;
      return {
        ...base,
        displayName: d.displayName,
        description: d.description,
        deviceSet: d.deviceSet,
        devices: d.devices,
        operations: d.operations,
        rollout: d.rollout ?? null,
        createdBy: refOf(event.actor),
        rerunOf: d.rerunOf ?? null,
        revertOf: d.revertOf ?? null,
        scheduleId: d.scheduleId ?? null,
        scheduleRun: d.scheduleRun ?? null,
        schedule: d.schedule ?? null,
        waitingFor: d.waitingFor ?? [],
        // An approval that arrived first is kept; its reason comes from here.
        approval: d.approval
          ? { required: true, reason: d.approval.reason, approvedBy: base.approval?.approvedBy ?? null, approvedAt: base.approval?.approvedAt ?? null }
          : base.approval,
        createdAt: toIsoInstant(d.createdAt) ?? toIsoInstant(event.time) ?? new Date(0).toISOString(),
      };
    }
    case 'JobApproved': {
      const base = row ?? placeholderJob(event.data.jobId);
      if (base.approval?.approvedAt) return base;
      const approvedAt = toIsoInstant(event.data.approvedAt) ?? toIsoInstant(event.time) ?? new Date(0).toISOString();
      const approvedBy = event.data.approvedBy ?? refOf(event.actor);
      return { ...base, approval: { required: true, reason: base.approval?.reason ?? '', approvedBy, approvedAt } };
    }
    case 'JobReleased': {
      const base = row ?? placeholderJob(event.data.jobId);
      if (base.releasedAt !== null) return base;
      return { ...base, releasedAt: toIsoInstant(event.data.releasedAt) ?? toIsoInstant(event.time) ?? new Date(0).toISOString() };
    }
    case 'JobStartReached': {
      const base = row ?? placeholderJob(event.data.jobId);
      if (base.startReachedAt !== null) return base;
      return { ...base, startReachedAt: toIsoInstant(event.data.reachedAt) ?? toIsoInstant(event.time) ?? new Date(0).toISOString() };
    }
    case 'JobStarted': {
      const base = row ?? placeholderJob(event.data.jobId);
      return {
        ...base,
        status: base.status === 'pending' ? 'running' : base.status,
        startedAt: base.startedAt ?? toIsoInstant(event.data.startedAt) ?? toIsoInstant(event.time),
        targetTotal: base.targetTotal ?? event.data.total,
      };
    }
    case 'JobPaused': {
      const base = row ?? placeholderJob(event.data.jobId);
      return isTerminal(base.status) ? base : { ...base, status: 'paused' };
    }
    case 'JobResumed': {
      // Back to what it was before the pause: running once started, else still pending.
      const base = row ?? placeholderJob(event.data.jobId);
      return base.status === 'paused' ? { ...base, status: base.startedAt === null ? 'pending' : 'running' } : base;
    }
    case 'JobStopped': {
      const base = row ?? placeholderJob(event.data.jobId);
      const ended = end(base, 'stopped', toIsoInstant(event.data.stoppedAt) ?? toIsoInstant(event.time), null);
      return ended === base ? base : { ...ended, stoppedBy: refOf(event.actor) };
    }
    case 'JobCompleted':
      return end(row ?? placeholderJob(event.data.jobId), 'completed', toIsoInstant(event.data.endedAt) ?? toIsoInstant(event.time), null);
    case 'JobFailed':
      return end(
        row ?? placeholderJob(event.data.jobId),
        'failed',
        toIsoInstant(event.data.endedAt) ?? toIsoInstant(event.time),
        event.data.reason,
      );
    case 'JobSettled': {
      const base = row ?? placeholderJob(event.data.jobId);
      return base.settledAt !== null ? base : { ...base, settledAt: toIsoInstant(event.data.settledAt) ?? toIsoInstant(event.time) };
    }
    case 'JobTargetingCompleted': {
      const base = row ?? placeholderJob(event.data.jobId);
      return { ...base, targetTotal: event.data.total };
    }
    case 'JobTargetingFailed': {
      // job-command turns this into JobFailed; the reason is kept so the job explains itself meanwhile.
      const base = row ?? placeholderJob(event.data.jobId);
      return isTerminal(base.status) ? base : { ...base, error: base.error ?? event.data.reason };
    }
    case 'JobTargetsResolved':
    case 'DeviceSucceeded':
    case 'DeviceFailed':
    case 'JobRolloutProgressed':
      return row ?? placeholderJob(event.data.jobId);
    default:
      return row;
  }
}
