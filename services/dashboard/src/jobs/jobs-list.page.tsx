import { IfAllowed } from '../auth/role-gate.component';
import { useEffect, useState } from 'react';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { JOB_STATUSES, JobStatus } from '../api/fleetjobs-api.types';
import { formatDateTime } from '../shared/format';
import { Link } from '../shared/link.component';
import { ListPage } from '../shared/list-page.component';
import { usePagedList } from '../shared/paged-list.hook';
import { PagedTable } from '../shared/paged-table.component';
import { ProgressBar } from '../shared/progress-bar.component';
import { StatusBadge } from '../shared/status-badge.component';
import { StatusFilter } from '../shared/status-filter.component';

const REFRESH_MS = 5000;

/** Running jobs first, then the newest, over the last 30 days; filtered by status. */
export function JobsListPage() {
  const [status, setStatus] = useState<JobStatus | ''>('');
  const jobs = usePagedList((page) => fleetjobsApi.listJobs({ status, ...page }), [status]);
  const { reload } = jobs.list;

  useEffect(() => {
    const timer = setInterval(() => document.visibilityState !== 'hidden' && reload(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  return (
    <ListPage
      title="Jobs"
      subtitle="Running jobs first, then the newest. Jobs stay listed for 30 days after they end."
      actions={
        <IfAllowed role="operator">
          <Link className="button button--primary" to={{ page: 'new-job' }}>
            New job
          </Link>
        </IfAllowed>
      }
      label="Job list"
      filters={
        <StatusFilter
          statuses={JOB_STATUSES}
          value={status}
          onChange={(next) => {
            setStatus(next);
            jobs.pager.reset();
          }}
        />
      }
    >
      <PagedTable
        paged={jobs}
        className="jobs-table"
        columns={['Name', 'Status', { label: 'Devices', className: 'jobs-table__devices' }, 'Created', 'Ended']}
        row={(job) => (
          <tr key={job.id} data-testid="job-row" data-job-id={job.id}>
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
            <td>{formatDateTime(job.createdAt)}</td>
            <td>{formatDateTime(job.endedAt)}</td>
          </tr>
        )}
        empty={status ? `No ${status} jobs in the last 30 days.` : 'No jobs in the last 30 days. Start one with New job.'}
        pagerLabel="Pages of jobs"
      />
    </ListPage>
  );
}
