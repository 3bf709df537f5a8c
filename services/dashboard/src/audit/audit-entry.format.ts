import { AuditAction, AuditEntry } from '../api/fleetjobs-api.types';
import { Route } from '../routing/routes';
import { plural } from '../shared/format';

/** What each recorded command is called on the Audit screen. */
export const ACTION_LABELS: Record<AuditAction, string> = {
  JobCreated: 'Created job',
  JobStopped: 'Stopped job',
  JobPaused: 'Paused job',
  JobResumed: 'Resumed job',
  JobApproved: 'Approved job',
  ScheduleCreated: 'Created schedule',
  SchedulePaused: 'Paused schedule',
  ScheduleResumed: 'Resumed schedule',
  ScheduleDeleted: 'Deleted schedule',
  DeviceTemplateSaved: 'Saved template',
  DeviceTemplateDeleted: 'Deleted template',
  DeviceRegistered: 'Saved device',
  DeviceDeleted: 'Deleted device',
  DeviceSetSaved: 'Saved device set',
  DeviceSetDeleted: 'Deleted device set',
  TokenCreated: 'Created API token',
  TokenRevoked: 'Revoked API token',
};

export function actionLabel(action: string): string {
  return ACTION_LABELS[action as AuditAction] ?? action;
}

/** The screen of the entry's subject; none once it was deleted, or for a token. */
export function subjectRoute(entry: Pick<AuditEntry, 'action' | 'subject'>): Route | null {
  const id = entry.subject;
  if (entry.action.startsWith('Job')) return { page: 'job', id };
  if (entry.action === 'ScheduleCreated' || entry.action === 'SchedulePaused' || entry.action === 'ScheduleResumed') return { page: 'schedule', id };
  if (entry.action === 'DeviceRegistered') return { page: 'device', id };
  if (entry.action === 'DeviceTemplateSaved') return { page: 'template', id };
  if (entry.action === 'DeviceSetSaved') return { page: 'device-set', id };
  return null;
}

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' ? value : null);

function jobCreated(s: Record<string, unknown>): string {
  const parts: string[] = [];
  if (str(s.displayName)) parts.push(`“${s.displayName}”`);
  const devices = num(s.deviceCount);
  const set = str(s.deviceSet);
  if (devices !== null) parts.push(`${plural(devices, 'device')}${set ? ` of ${set}` : ''}`);
  else if (set) parts.push(`every device of ${set}`);
  const operations = Array.isArray(s.operations) ? (s.operations as { type?: unknown; name?: unknown }[]) : [];
  const total = num(s.operationCount) ?? operations.length;
  if (operations.length > 0) {
    const listed = operations.map((o) => `${str(o.type) ?? ''} ${str(o.name) ?? ''}`.trim()).join(', ');
    parts.push(total > operations.length ? `${listed} and ${total - operations.length} more` : listed);
  }
  return parts.join(' · ');
}

/** The entry's summary in a few words: names and counts, as the API gives them. */
export function summaryText(entry: Pick<AuditEntry, 'action' | 'summary'>): string {
  const s = entry.summary ?? {};
  switch (entry.action) {
    case 'JobCreated':
      return jobCreated(s);
    case 'ScheduleCreated':
      return [jobCreated(s), str(s.cron) ? `${s.cron} (${str(s.timeZone) ?? 'UTC'})` : null].filter(Boolean).join(' · ');
    case 'DeviceTemplateSaved':
      return [str(s.displayName), num(s.capabilityCount) !== null ? plural(num(s.capabilityCount)!, 'capability', 'capabilities') : null]
        .filter(Boolean)
        .join(' · ');
    case 'DeviceRegistered':
      return [str(s.displayName), str(s.template) ? `template ${s.template}` : null, s.origin === 'hub-import' ? 'imported from the hub' : null]
        .filter(Boolean)
        .join(' · ');
    case 'DeviceSetSaved':
      return [str(s.displayName), num(s.conditionCount) !== null ? plural(num(s.conditionCount)!, 'condition') : null].filter(Boolean).join(' · ');
    case 'TokenCreated':
      return [str(s.name), str(s.role) ? `role ${s.role}` : null, str(s.expiresAt) ? `expires ${s.expiresAt}` : null].filter(Boolean).join(' · ');
    default:
      return '';
  }
}
