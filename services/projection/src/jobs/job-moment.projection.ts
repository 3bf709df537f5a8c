import { DeviceJobStatus, FleetEvent, JobStatus } from '@fleetjobs/contracts';
import { JobDeviceRow } from './job-device.projection';
import { toIsoInstant } from './projection-time';

/** The events that change a job's status after its creation, as the read model keeps them. */
export const STATUS_CHANGE_TYPES = ['JobStarted', 'JobPaused', 'JobResumed', 'JobStopped', 'JobCompleted', 'JobFailed'] as const;
export type StatusChangeType = (typeof STATUS_CHANGE_TYPES)[number];

/** One status change of a job at its event's own time; the event id makes a repeat a no-op. */
export interface JobStatusChange {
  jobId: string;
  eventId: string;
  type: StatusChangeType;
  at: string;
}

/** The time an event says it happened: the instant in its data, else the envelope's time. */
function timeOf(event: FleetEvent): string | null {
  switch (event.type) {
    case 'JobStarted':
      return toIsoInstant(event.data.startedAt) ?? toIsoInstant(event.time);
    case 'JobPaused':
      return toIsoInstant(event.data.pausedAt) ?? toIsoInstant(event.time);
    case 'JobResumed':
      return toIsoInstant(event.data.resumedAt) ?? toIsoInstant(event.time);
    case 'JobStopped':
      return toIsoInstant(event.data.stoppedAt) ?? toIsoInstant(event.time);
    case 'JobCompleted':
    case 'JobFailed':
      return toIsoInstant(event.data.endedAt) ?? toIsoInstant(event.time);
    default:
      return null;
  }
}

const isStatusChange = (type: string): type is StatusChangeType => (STATUS_CHANGE_TYPES as readonly string[]).includes(type);

/** The status changes among a batch of job-topic events; events without a readable time are left out. */
export function statusChangesOf(events: FleetEvent[]): JobStatusChange[] {
  const changes: JobStatusChange[] = [];
  for (const event of events) {
    if (!isStatusChange(event.type)) continue;
    const at = timeOf(event);
    const jobId = (event.data as { jobId?: unknown }).jobId;
    if (at !== null && typeof jobId === 'string') changes.push({ jobId, eventId: event.id, type: event.type, at });
  }
  return changes;
}

/** Among changes at the same instant, the order in which they can only have happened. */
const ORDER: Record<StatusChangeType, number> = { JobStarted: 0, JobPaused: 1, JobResumed: 2, JobStopped: 3, JobCompleted: 3, JobFailed: 3 };
const TERMINAL: readonly JobStatus[] = ['stopped', 'completed', 'failed'];

/**
 * A job's status at `at`, folded from its status changes in the order of their own times, by the
 * rules the live projection applies (`evolveJob`): a start turns pending into running, a pause
 * holds a job that has not ended, a resume returns to running once started (else pending), and
 * the first end is final. The job must have existed at `at` (created at or before it).
 */
export function statusAt(changes: Pick<JobStatusChange, 'type' | 'at'>[], at: string): JobStatus {
  const until = Date.parse(at);
  const known = changes
    .filter((change) => Date.parse(change.at) <= until)
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || ORDER[a.type] - ORDER[b.type]);
  let status: JobStatus = 'pending';
  let started = false;
  for (const change of known) {
    if (TERMINAL.includes(status)) break;
    switch (change.type) {
      case 'JobStarted':
        started = true;
        if (status === 'pending') status = 'running';
        break;
      case 'JobPaused':
        status = 'paused';
        break;
      case 'JobResumed':
        if (status === 'paused') status = started ? 'running' : 'pending';
        break;
      case 'JobStopped':
        status = 'stopped';
        break;
      case 'JobCompleted':
        status = 'completed';
        break;
      case 'JobFailed':
        status = 'failed';
        break;
    }
  }
  return status;
}

/**
 * A job device's status at `at`: null while the job did not know the device yet (neither its
 * target nor its outcome had happened), its outcome once that had happened, else pending. The
 * device queries apply the same rule in SQL (`deviceStatusAtSql`).
 */
export function deviceStatusAt(row: Pick<JobDeviceRow, 'status' | 'targetedAt' | 'outcomeAt'>, at: string): DeviceJobStatus | null {
  const until = Date.parse(at);
  const happened = (time: string | null) => time !== null && Date.parse(time) <= until;
  if (row.status !== 'pending' && happened(row.outcomeAt)) return row.status;
  return happened(row.targetedAt) || happened(row.outcomeAt) ? 'pending' : null;
}
