import { useEffect, useState } from 'react';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { AUDIT_ACTIONS, AuditAction, AuditEntry } from '../api/fleetjobs-api.types';
import { formatDateTime } from '../shared/format';
import { InlineField } from '../shared/inline-field.component';
import { Link } from '../shared/link.component';
import { ListPage } from '../shared/list-page.component';
import { usePagedList } from '../shared/paged-list.hook';
import { PagedTable } from '../shared/paged-table.component';
import { actionLabel, subjectRoute, summaryText } from './audit-entry.format';

const PAGE_SIZE = 25;
/** Typing pauses this long before a text filter is sent, so each keystroke is not a request. */
const TEXT_DEBOUNCE_MS = 300;

/** The filters as the API takes them; dates are whole local days, `to` included. */
interface Filters {
  actor: string;
  action: AuditAction | '';
  subject: string;
  fromDay: string;
  toDay: string;
}

const NO_FILTERS: Filters = { actor: '', action: '', subject: '', fromDay: '', toDay: '' };

/** The start of a local day (`2026-03-01`) as an ISO instant; `days` later for the end of a span. */
function dayStart(day: string, days = 0): string | undefined {
  if (!day) return undefined;
  const [y, m, d] = day.split('-').map(Number);
  const start = new Date(y, m - 1, d + days);
  return Number.isNaN(start.getTime()) ? undefined : start.toISOString();
}

/** Who sent which command, newest first; filtered by who, what, which entity and which days. */
export function AuditPage() {
  const [typed, setTyped] = useState(NO_FILTERS);
  const [filters, setFilters] = useState(NO_FILTERS);
  const entries = usePagedList(
    (page) =>
      fleetjobsApi.listAuditEntries({
        actor: filters.actor,
        action: filters.action,
        subject: filters.subject,
        from: dayStart(filters.fromDay),
        to: dayStart(filters.toDay, 1),
        ...page,
      }),
    [filters],
    PAGE_SIZE,
  );
  const { reset } = entries.pager;

  // The new filters and the return to page 1 happen in one render, so no request pairs the new
  // filters with a cursor of the old ones. Text waits for typing to pause; the rest applies at once.
  useEffect(() => {
    const next = { ...typed, actor: typed.actor.trim(), subject: typed.subject.trim() };
    if (JSON.stringify(next) === JSON.stringify(filters)) return;
    const textChanged = next.actor !== filters.actor || next.subject !== filters.subject;
    const timer = setTimeout(
      () => {
        setFilters(next);
        reset();
      },
      textChanged ? TEXT_DEBOUNCE_MS : 0,
    );
    return () => clearTimeout(timer);
  }, [typed, filters, reset]);

  const set = <K extends keyof Filters>(key: K) => (value: Filters[K]) => setTyped((current) => ({ ...current, [key]: value }));
  const filtered = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS);

  return (
    <ListPage
      title="Audit"
      subtitle="Every command that changed something — who sent it, from where and when. Newest first."
      label="Audit trail"
      filters={
        <>
          <InlineField label="Actor">
            {(id) => (
              <input id={id} type="search" value={typed.actor} maxLength={300} placeholder="e.g. token:ci" onChange={(e) => set('actor')(e.target.value)} />
            )}
          </InlineField>
          <InlineField label="Action">
            {(id) => (
              <select id={id} value={typed.action} onChange={(e) => set('action')(e.target.value as AuditAction | '')}>
                <option value="">All</option>
                {AUDIT_ACTIONS.map((action) => (
                  <option key={action} value={action}>
                    {actionLabel(action)}
                  </option>
                ))}
              </select>
            )}
          </InlineField>
          <InlineField label="Subject">
            {(id) => (
              <input id={id} type="search" value={typed.subject} maxLength={128} placeholder="job or device id" onChange={(e) => set('subject')(e.target.value)} />
            )}
          </InlineField>
          <InlineField label="From">
            {(id) => <input id={id} type="date" value={typed.fromDay} onChange={(e) => set('fromDay')(e.target.value)} />}
          </InlineField>
          <InlineField label="To">
            {(id) => <input id={id} type="date" value={typed.toDay} min={typed.fromDay || undefined} onChange={(e) => set('toDay')(e.target.value)} />}
          </InlineField>
        </>
      }
    >
      <PagedTable
        paged={entries}
        className="audit-table"
        columns={['When', 'Who', 'What', 'Subject', 'Details']}
        row={(entry) => <AuditRow key={entry.eventId} entry={entry} onActor={(actor) => setTyped((current) => ({ ...current, actor }))} />}
        empty={filtered ? 'No recorded command matches these filters.' : 'No command recorded yet.'}
        pagerLabel="Pages of audit entries"
      />
    </ListPage>
  );
}

function AuditRow({ entry, onActor }: { entry: AuditEntry; onActor: (actorId: string) => void }) {
  const route = subjectRoute(entry);
  return (
    <tr data-testid="audit-entry" data-event-id={entry.eventId}>
      <td>{formatDateTime(entry.time)}</td>
      <td>
        <button type="button" className="button button--small" title={`Only what ${entry.actor.name} did`} onClick={() => onActor(entry.actor.id)}>
          {entry.actor.name}
        </button>
        <div className="muted small">
          <code>{entry.actor.id}</code> · {entry.actor.role}
          {entry.actor.address ? ` · from ${entry.actor.address}` : ''}
        </div>
      </td>
      <td>{actionLabel(entry.action)}</td>
      <td>{route ? <Link to={route}>{entry.subject}</Link> : <code>{entry.subject}</code>}</td>
      <td className="small">{summaryText(entry)}</td>
    </tr>
  );
}
