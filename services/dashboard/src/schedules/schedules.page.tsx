import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { IfAllowed } from '../auth/role-gate.component';
import { formatCount, formatDateTime } from '../shared/format';
import { Link } from '../shared/link.component';
import { ListPage } from '../shared/list-page.component';
import { usePagedList } from '../shared/paged-list.hook';
import { PagedTable } from '../shared/paged-table.component';
import { useReloadEvery } from '../shared/reload-every.hook';
import { StatusBadge } from '../shared/status-badge.component';
import { RepeatText } from './repeat-text.component';

const REFRESH_MS = 5000;

/** Every recurring schedule, newest first: its status, how it repeats, its next run and its runs so far. */
export function SchedulesPage() {
  const schedules = usePagedList((page) => fleetjobsApi.listSchedules(page), []);
  useReloadEvery(schedules.list.reload, REFRESH_MS);
  return (
    <ListPage
      title="Schedules"
      subtitle="Jobs that repeat. Each run is a job of its own; a schedule is made by New job with Repeat."
      actions={
        <IfAllowed role="operator">
          <Link className="button button--primary" to={{ page: 'new-job' }}>
            New job
          </Link>
        </IfAllowed>
      }
      label="Schedule list"
    >
      <PagedTable
        paged={schedules}
        columns={['Name', 'Status', 'Repeats', 'Next run', 'Runs']}
        row={(schedule) => (
          <tr key={schedule.id} data-testid="schedule-row" data-schedule-id={schedule.id}>
            <td>
              <Link to={{ page: 'schedule', id: schedule.id }} className="strong-link">
                {schedule.displayName || schedule.id}
              </Link>
              <div className="muted small">
                <code>{schedule.id}</code>
              </div>
            </td>
            <td data-testid="schedule-status">
              <StatusBadge status={schedule.status} />
            </td>
            <td>
              <RepeatText recurrence={schedule.recurrence} />
            </td>
            <td>{formatDateTime(schedule.nextRunAt)}</td>
            <td data-testid="schedule-runs">{formatCount(schedule.runs)}</td>
          </tr>
        )}
        empty="No schedules yet. Make one with New job and Repeat."
        pagerLabel="Pages of schedules"
      />
    </ListPage>
  );
}
