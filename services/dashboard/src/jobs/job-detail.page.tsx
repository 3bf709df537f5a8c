import { useState } from 'react';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
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
import { useLoad } from '../shared/use-load.hook';
import { JobDefinition } from './job-definition.component';
import { JobDevices } from './job-devices.component';
import { JobRollout } from './job-rollout.component';
import { PauseResumeButton } from './pause-job.component';
import { RerunFailedButton, RerunOfNotice } from './rerun-job.component';
import { RevertJobButton, RevertOfNotice } from './revert-job.component';
import { ScheduleRunNotice } from '../schedules/schedule-run-notice.component';
import { isFinished, isStoppable } from './job-status';
import { LiveMode, POLL_INTERVAL_MS, useLiveJob } from './live-job.hook';
import { StopJobButton } from './stop-job.component';
import { JobTimeSlider } from './job-time-slider.component';

const LIVE_TEXT: Record<LiveMode, string> = {
  connecting: 'Connecting…',
  stream: 'Live',
  polling: 'Updating every 2 s',
  idle: '',
};

/**
 * One job: its definition, live status and counts, and every device's outcome; the time slider
 * shows the status, counts and devices as they were at any moment of the job's life.
 */
export function JobDetailPage({ id }: { id: string }) {
  const live = useLiveJob(id);
  const devicesRefresh = useThrottledValue(live.updates, POLL_INTERVAL_MS);
  const [at, setAt] = useState<string | null>(null);
  const past = useLoad(() => (at === null ? Promise.resolve(undefined) : fleetjobsApi.getJobAt(id, at)), [id, at]);
  const liveJob = live.job;
  // While the first answer for a moment is on its way, the live job stays shown.
  const job = at !== null && past.data ? past.data : liveJob;

  if (!job || !liveJob) {
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
            {at === null && LIVE_TEXT[live.mode] ? <span className={`live live--${live.mode}`}>{LIVE_TEXT[live.mode]}</span> : null}
          </span>
        }
        actions={
          <>
            <IfAllowed role="operator">
              <ApproveJobButton job={liveJob} onApproved={live.refresh} />
              <PauseResumeButton jobId={liveJob.id} status={liveJob.status} onChanged={live.refresh} />
              {isStoppable(liveJob.status) ? <StopJobButton jobId={liveJob.id} jobName={liveJob.displayName} onStopped={live.refresh} /> : null}
              <RerunFailedButton job={liveJob} />
              <RevertJobButton job={liveJob} />
              {isFinished(liveJob.status) ? (
                <button type="button" className="button button--primary" onClick={() => navigate({ page: 'new-job', copyOf: liveJob.id })}>
                  Copy to a new job
                </button>
              ) : null}
            </IfAllowed>
          </>
        }
      />
      <JobTimeSlider job={liveJob} at={at} onChange={setAt} />
      {at !== null && past.problem ? <ProblemAlert problem={past.problem} /> : null}
      <ApprovalNotice job={job} />
      <RerunOfNotice job={job} />
      <RevertOfNotice job={job} />
      <ScheduleRunNotice job={job} />
      {at === null && job.status === 'paused' ? (
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
        <JobDevices jobId={job.id} refreshKey={at === null ? devicesRefresh : 0} showAttempts={Boolean(job.rollout)} at={at ?? undefined} />
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
