import { useEffect, useId, useState } from 'react';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { JOB_STATUSES, JobStatus } from '../api/fleetjobs-api.types';
import { useCursorPager } from '../shared/cursor-pager.hook';
import { capitalize, formatDateTime } from '../shared/format';
import { InlineField } from '../shared/inline-field.component';
import { Link } from '../shared/link.component';
import { PageHeader } from '../shared/page-header.component';
import { Pager } from '../shared/pager.component';
import { ProblemAlert } from '../shared/problem-alert.component';
import { ProgressBar } from '../shared/progress-bar.component';
import { StatusBadge } from '../shared/status-badge.component';
import { useLoad } from '../shared/use-load.hook';

const PAGE_SIZE = 25;
const REFRESH_MS = 5000;

/** Running jobs first, then the newest, over the last 30 days; filtered by status. */
export function JobsListPage() {
  const id = useId();
  const [status, setStatus] = useState<JobStatus | ''>('');
  const pager = useCursorPager();
  const { reset } = pager;
  const jobs = useLoad(() => fleetjobsApi.listJobs({ status, limit: PAGE_SIZE, cursor: pager.cursor }), [status, pager.cursor]);
  const { reload } = jobs;

  useEffect(() => reset(), [status, reset]);
  useEffect(() => {
    const timer = setInterval(() => document.visibilityState !== 'hidden' && reload(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const rows = jobs.data?.value ?? [];
  return (
    <>
      <PageHeader
        title="Jobs"
        subtitle="Running jobs first, then the newest. Jobs stay listed for 30 days after they end."
        actions={
          <Link className="button button--primary" to={{ page: 'new-job' }}>
            New job
          </Link>
        }
      />
      <section className="card" aria-labelledby={`${id}-title`}>
        <div className="card__header">
          <h2 id={`${id}-title`} className="visually-hidden">
            Job list
          </h2>
          <div className="filters">
            <InlineField label="Status">
              {(id) => (
                <select id={id} value={status} onChange={(e) => setStatus(e.target.value as JobStatus | '')}>
                  <option value="">All</option>
                  {JOB_STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {capitalize(s)}
                    </option>
                  ))}
                </select>
              )}
            </InlineField>
          </div>
        </div>
        <ProblemAlert problem={jobs.problem} />
        <div className="table-scroll">
          <table className="table jobs-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col" className="jobs-table__devices">
                  Devices
                </th>
                <th scope="col">Created</th>
                <th scope="col">Ended</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((job) => (
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
              ))}
              {rows.length === 0 && !jobs.loading && !jobs.problem ? (
                <tr>
                  <td colSpan={5} className="table__empty">
                    {status ? `No ${status} jobs in the last 30 days.` : 'No jobs in the last 30 days. Start one with New job.'}
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
        <Pager pager={pager} nextCursor={jobs.data?.nextCursor} label="Pages of jobs" />
      </section>
    </>
  );
}
