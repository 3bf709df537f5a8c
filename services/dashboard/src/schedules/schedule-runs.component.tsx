import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { formatDateTime } from '../shared/format';
import { Link } from '../shared/link.component';
import { usePagedList } from '../shared/paged-list.hook';
import { PagedTable } from '../shared/paged-table.component';
import { ProgressBar } from '../shared/progress-bar.component';
import { StatusBadge } from '../shared/status-badge.component';

/** A schedule's runs, newest first: each a job, linked, with its status and devices. */
export function ScheduleRuns({ scheduleId, refreshKey }: { scheduleId: string; refreshKey: number }) {
  const runs = usePagedList((page) => fleetjobsApi.listJobs({ scheduleId, ...page }), [scheduleId, refreshKey], 10);
  return (
    <section className="card" aria-label="Runs">
      <h2>Runs</h2>
      <PagedTable
        paged={runs}
        className="jobs-table"
        columns={['Run', 'Job', 'Status', { label: 'Devices', className: 'jobs-table__devices' }, 'Starts', 'Ended']}
        row={(job) => (
          <tr key={job.id} data-testid="schedule-run" data-job-id={job.id}>
            <td>{job.scheduleRun ?? '—'}</td>
            <td>
              <Link to={{ page: 'job', id: job.id }} className="strong-link">
                {job.displayName}
              </Link>
              <div className="muted small">
                <code>{job.id}</code>
              </div>
            </td>
            <td>
              <StatusBadge status={job.status} />
            </td>
            <td>
              <ProgressBar counts={job.counts} />
            </td>
            <td>{formatDateTime(job.startedAt ?? job.nextStartAt)}</td>
            <td>{formatDateTime(job.endedAt)}</td>
          </tr>
        )}
        empty="No run yet."
        pagerLabel="Pages of runs"
      />
    </section>
  );
}
