import { IfAllowed } from '../auth/role-gate.component';
import { ApprovalNotice, ApproveJobButton } from './approve-job.component';
import { navigate } from '../routing/hash-location.hook';
import { formatCount } from '../shared/format';
import { Link } from '../shared/link.component';
import { PageHeader } from '../shared/page-header.component';
import { ProblemAlert } from '../shared/problem-alert.component';
import { ProgressBar } from '../shared/progress-bar.component';
import { StatusBadge } from '../shared/status-badge.component';
import { useThrottledValue } from '../shared/throttled-value.hook';
import { JobDefinition } from './job-definition.component';
import { JobDevices } from './job-devices.component';
import { JobRollout } from './job-rollout.component';
import { PauseResumeButton } from './pause-job.component';
import { RerunFailedButton, RerunOfNotice } from './rerun-job.component';
import { isFinished, isStoppable } from './job-status';
import { LiveMode, POLL_INTERVAL_MS, useLiveJob } from './live-job.hook';
import { StopJobButton } from './stop-job.component';

const LIVE_TEXT: Record<LiveMode, string> = {
  connecting: 'Connecting…',
  stream: 'Live',
  polling: 'Updating every 2 s',
  idle: '',
};

/** One job: its definition, live status and counts, and every device's outcome. */
export function JobDetailPage({ id }: { id: string }) {
  const live = useLiveJob(id);
  const devicesRefresh = useThrottledValue(live.updates, POLL_INTERVAL_MS);
  const { job } = live;

  if (!job) {
    return (
      <>
        <PageHeader title={id} breadcrumb={<Link to={{ page: 'jobs' }}>Jobs</Link>} />
        {live.problem ? (
          <ProblemAlert problem={live.problem} />
        ) : (
          <p className="muted" role="status">
            Loading the job…
          </p>
        )}
      </>
    );
  }

  const { counts } = job;
  return (
    <>
      <PageHeader
        title={job.displayName}
        breadcrumb={<Link to={{ page: 'jobs' }}>Jobs</Link>}
        subtitle={
          <span className="job-status-line">
            <span data-testid="job-status">
              <StatusBadge status={job.status} />
            </span>
            {LIVE_TEXT[live.mode] ? <span className={`live live--${live.mode}`}>{LIVE_TEXT[live.mode]}</span> : null}
          </span>
        }
        actions={
          <>
            <IfAllowed role="operator">
              <ApproveJobButton job={job} onApproved={live.refresh} />
              <PauseResumeButton jobId={job.id} status={job.status} onChanged={live.refresh} />
              {isStoppable(job.status) ? <StopJobButton jobId={job.id} jobName={job.displayName} onStopped={live.refresh} /> : null}
              <RerunFailedButton job={job} />
              {isFinished(job.status) ? (
                <button type="button" className="button button--primary" onClick={() => navigate({ page: 'new-job', copyOf: job.id })}>
                  Copy to a new job
                </button>
              ) : null}
            </IfAllowed>
          </>
        }
      />
      <ApprovalNotice job={job} />
      <RerunOfNotice job={job} />
      {job.status === 'paused' ? (
        <p className="alert alert--warning" role="status" data-testid="job-paused">
          Paused: no device operation starts until Resume; those already under way finish. Stop ends the job for good.
        </p>
      ) : null}
      {job.error ? (
        <div className="alert alert--error" role="alert">
          <p className="alert__title">{job.rollout && /^aborted\b/i.test(job.error) ? 'The rollout aborted the job' : 'The job failed'}</p>
          <p>{job.error}</p>
        </div>
      ) : null}
      <section className="card counts" aria-label="Progress">
        <div className="counts__tiles" data-testid="job-counts">
          <Count label="Devices" value={counts.total} />
          <Count label="Succeeded" value={counts.completed} tone="completed" />
          <Count label="Failed" value={counts.failed} tone="failed" />
          <Count label="Pending" value={counts.pending} tone="pending" />
        </div>
        <ProgressBar counts={counts} showLegend={false} />
      </section>
      <JobRollout job={job} />
      <div className="job-detail">
        <JobDefinition job={job} />
        <JobDevices jobId={job.id} refreshKey={devicesRefresh} showAttempts={Boolean(job.rollout)} />
      </div>
    </>
  );
}

function Count({ label, value, tone }: { label: string; value: number; tone?: string }) {
  return (
    <div className={`count${tone ? ` count--${tone}` : ''}`} data-count={tone ?? 'total'}>
      <span className="count__value">{formatCount(value)}</span>
      <span className="count__label">{label}</span>
    </div>
  );
}
