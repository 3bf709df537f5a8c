import { Actor, EventEnvelope } from '@fleetjobs/contracts';
import { toIsoInstant } from '../jobs/projection-time';

/** One recorded command: who did what to which entity, when, and a few words about it. */
export interface AuditEntry {
  /** The id of the event that records the command; an entry is written once per event. */
  eventId: string;
  time: string;
  actor: Actor;
  /** The event's type, e.g. `JobCreated`. */
  action: string;
  /** The entity the command concerned: job, device, template, set or token id. */
  subject: string;
  /** A small description of what was asked: names and counts, never device lists or values. */
  summary: AuditSummary;
}

export type AuditSummary = Record<string, string | number | boolean | null | Array<Record<string, string>>>;

/** Longest text a summary keeps of any one field. */
export const SUMMARY_TEXT_MAX = 200;
/** Operations a job's summary lists by type and name; the count says how many there were in all. */
export const SUMMARY_OPERATIONS_MAX = 10;

type Data = Record<string, unknown>;

const text = (value: unknown): string | null => (typeof value === 'string' ? value.slice(0, SUMMARY_TEXT_MAX) : null);
const count = (value: unknown): number | null => (Array.isArray(value) ? value.length : null);

function jobCreated(d: Data): AuditSummary {
  const operations = Array.isArray(d.operations) ? (d.operations as Data[]) : [];
  return {
    displayName: text(d.displayName),
    deviceSet: text(d.deviceSet),
    // null: every device of the set, counted when targeting resolves it.
    deviceCount: count(d.devices),
    operationCount: operations.length,
    operations: operations.slice(0, SUMMARY_OPERATIONS_MAX).map((o) => ({ type: text(o?.type) ?? '', name: text(o?.name) ?? '' })),
  };
}

const nothing = (): AuditSummary => ({});

function scheduleCreated(d: Data): AuditSummary {
  const recurrence = d.recurrence && typeof d.recurrence === 'object' ? (d.recurrence as Data) : {};
  return { ...jobCreated(d), cron: text(recurrence.cron), timeZone: text(recurrence.timeZone) ?? 'UTC' };
}

/** A schedule's events are keyed by its stream (`schedules/{id}`); its entries name the schedule by its id. */
const SCHEDULE_ACTIONS: ReadonlySet<string> = new Set(['ScheduleCreated', 'SchedulePaused', 'ScheduleResumed', 'ScheduleDeleted']);

/**
 * The events that record a command, and what each one's summary keeps. Any other event — device
 * outcomes, targeting, a job ending by itself — is never an audit entry, actor or not.
 */
export const AUDITED: Readonly<Record<string, (data: Data) => AuditSummary>> = {
  JobCreated: jobCreated,
  JobStopped: nothing,
  JobPaused: nothing,
  JobResumed: nothing,
  JobApproved: nothing,
  ScheduleCreated: scheduleCreated,
  SchedulePaused: nothing,
  ScheduleResumed: nothing,
  ScheduleDeleted: nothing,
  DeviceTemplateSaved: (d) => ({ displayName: text(d.displayName), capabilityCount: count(d.capabilities) }),
  DeviceTemplateDeleted: nothing,
  DeviceRegistered: (d) => ({ displayName: text(d.displayName), template: text(d.template), origin: text(d.origin) }),
  DeviceDeleted: nothing,
  DeviceSetSaved: (d) => ({ displayName: text(d.displayName), conditionCount: count(d.conditions) }),
  DeviceSetDeleted: nothing,
  TokenCreated: (d) => ({ name: text(d.name), role: text(d.role), expiresAt: text(d.expiresAt) }),
  TokenRevoked: nothing,
};

/** The actions `GET /api/audit` can filter on. */
export const AUDITED_ACTIONS: readonly string[] = Object.keys(AUDITED);

/** The audit entry an event makes: null unless it records a command and says who sent it. */
export function auditEntryOf(event: EventEnvelope): AuditEntry | null {
  if (!event.actor) return null;
  const summarize = AUDITED[event.type];
  if (!summarize) return null;
  const data = event.data && typeof event.data === 'object' ? (event.data as Data) : {};
  return {
    eventId: event.id,
    // makeEnvelope always writes a time; a missing one sorts the entry first rather than losing it.
    time: toIsoInstant(event.time) ?? new Date(0).toISOString(),
    actor: event.actor,
    action: event.type,
    subject: SCHEDULE_ACTIONS.has(event.type) && typeof data.scheduleId === 'string' ? data.scheduleId : event.subject,
    summary: summarize(data),
  };
}

/** The audit entries of a batch, in its order; costs one property read per event without actor. */
export function auditEntriesOf(events: readonly EventEnvelope[]): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (const event of events) {
    if (event.actor === undefined) continue;
    const entry = auditEntryOf(event);
    if (entry) entries.push(entry);
  }
  return entries;
}
