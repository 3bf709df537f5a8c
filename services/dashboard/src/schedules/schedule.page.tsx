import { useCallback, useState } from 'react';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { Schedule } from '../api/fleetjobs-api.types';
import { IfAllowed } from '../auth/role-gate.component';
import { Who } from '../shared/actor.component';
import { DetailPage } from '../shared/detail-page.component';
import { compactJson, formatCount, formatDateTime, plural } from '../shared/format';
import { Link } from '../shared/link.component';
import { useReloadEvery } from '../shared/reload-every.hook';
import { StatusBadge } from '../shared/status-badge.component';
import { useLoad } from '../shared/use-load.hook';
import { PauseResumeScheduleButton } from './pause-schedule.component';
import { batchesText, rateText } from '../jobs/rollout-text';
import { describeWindows } from '../jobs/window-text';
import { describeEnd } from './recurrence-text';
import { RepeatText } from './repeat-text.component';
import { ScheduleRuns } from './schedule-runs.component';

const REFRESH_MS = 5000;

/** One recurring schedule: how it repeats, its next run, what each run does, and its runs; Pause, Resume, Delete. */
export function SchedulePage({ id }: { id: string }) {
  const [refreshes, setRefreshes] = useState(0);
  const schedule = useLoad(() => fleetjobsApi.getSchedule(id), [id, refreshes]);
  const refresh = useCallback(() => setRefreshes((n) => n + 1), []);
  useReloadEvery(refresh, REFRESH_MS);
  return (
    <DetailPage
      id={id}
      item={schedule}
      breadcrumb={<Link to={{ page: 'schedules' }}>Schedules</Link>}
      deletion={{
        remove: () => fleetjobsApi.deleteSchedule(id),
        then: { page: 'schedules' },
        confirmLabel: 'Delete schedule',
        role: 'operator',
        consequence: (
          <>
            <p>No further run is created, and its pending next run is stopped before it reaches a device.</p>
            <p>A run under way carries on to its end. Its runs stay listed as jobs.</p>
          </>
        ),
      }}
      actions={(s) => (
        <IfAllowed role="operator">
          <PauseResumeScheduleButton scheduleId={s.id} status={s.status} onChanged={refresh} />
        </IfAllowed>
      )}
    >
      {(s) => (
        <>
          {s.status === 'paused' ? (
            <p className="alert alert--warning" role="status" data-testid="schedule-paused">
              Paused: no run is created until Resume, and the runs missed meanwhile are not made up.
            </p>
          ) : null}
          <div className="job-detail">
            <ScheduleFacts schedule={s} />
            <RunDefinition schedule={s} />
          </div>
          <ScheduleRuns scheduleId={s.id} refreshKey={refreshes} />
        </>
      )}
    </DetailPage>
  );
}

function ScheduleFacts({ schedule: s }: { schedule: Schedule }) {
  return (
    <section className="card" aria-label="Schedule">
      <h2>Schedule</h2>
      <dl className="definition">
        <dt>Id</dt>
        <dd>
          <code>{s.id}</code>
        </dd>
        <dt>Status</dt>
        <dd data-testid="schedule-status">
          <StatusBadge status={s.status} />
        </dd>
        <dt>Repeats</dt>
        <dd data-testid="schedule-repeats">
          <RepeatText recurrence={s.recurrence} />
        </dd>
        <dt>Ends</dt>
        <dd>{describeEnd(s.recurrence, formatDateTime)}</dd>
        {s.startAt ? (
          <>
            <dt>Not before</dt>
            <dd>{formatDateTime(s.startAt)}</dd>
          </>
        ) : null}
        <dt>Next run</dt>
        <dd data-testid="schedule-next-run">
          {s.nextRunAt ? formatDateTime(s.nextRunAt) : <span className="muted">{s.status === 'paused' ? 'None while paused' : 'None'}</span>}
          {s.nextRunId ? (
            <>
              {' '}
              (<Link to={{ page: 'job', id: s.nextRunId }}>{s.nextRunId}</Link>)
            </>
          ) : null}
        </dd>
        <dt>Runs so far</dt>
        <dd data-testid="schedule-run-count">{formatCount(s.runs)}</dd>
        {s.lastRunId ? (
          <>
            <dt>Latest run</dt>
            <dd>
              <Link to={{ page: 'job', id: s.lastRunId }}>{s.lastRunId}</Link>
            </dd>
          </>
        ) : null}
        <dt>Created</dt>
        <dd>{formatDateTime(s.createdAt)}</dd>
        <dt>Created by</dt>
        <dd>
          <Who actor={s.createdBy} />
        </dd>
      </dl>
    </section>
  );
}

/** What every run does: the set, the devices, the operations, and the maintenance windows. */
function RunDefinition({ schedule: { job } }: { schedule: Schedule }) {
  return (
    <section className="card" aria-label="Each run">
      <h2>Each run</h2>
      <dl className="definition">
        <dt>Description</dt>
        <dd>{job.description || <span className="muted">None</span>}</dd>
        <dt>Device set</dt>
        <dd>
          <Link to={{ page: 'device-set', id: job.deviceSet }}>{job.deviceSet}</Link>
        </dd>
        <dt>Devices</dt>
        <dd>{job.devices === null ? 'All devices of the set, as it is at each run' : plural(job.devices.length, 'chosen device')}</dd>
        <dt>Operations</dt>
        <dd>
          <ul className="operations-list">
            {job.operations.map((op, i) => (
              <li key={i}>
                <span className="muted">{op.type}</span> <strong>{op.name}</strong> = <code>{compactJson(op.value)}</code>
              </li>
            ))}
          </ul>
        </dd>
        {job.rollout ? (
          <>
            <dt>Rollout</dt>
            <dd>
              {batchesText(job.rollout)}; {rateText(job.rollout)}
            </dd>
          </>
        ) : null}
        {job.windows?.length ? (
          <>
            <dt>Maintenance windows</dt>
            <dd>{describeWindows(job.windows)}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}
