import { Job } from '../api/fleetjobs-api.types';
import { Who } from '../shared/actor.component';
import { compactJson, formatDateTime, plural } from '../shared/format';
import { Link } from '../shared/link.component';
import { describeWindows } from './window-text';

/** What a job was asked to do, who asked and stopped it, and when it ran. */
export function JobDefinition({ job }: { job: Job }) {
  return (
    <section className="card" aria-label="Definition">
      <h2>Definition</h2>
      <dl className="definition">
        <dt>Id</dt>
        <dd>
          <code>{job.id}</code>
        </dd>
        <dt>Description</dt>
        <dd>{job.description || <span className="muted">None</span>}</dd>
        <dt>Device set</dt>
        <dd>
          <Link to={{ page: 'device-set', id: job.deviceSet }}>{job.deviceSet}</Link>
        </dd>
        <dt>Devices</dt>
        <dd>{job.devices === null ? 'All devices of the set' : `${plural(job.devices.length, 'chosen device')}`}</dd>
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
        <dt>Created</dt>
        <dd>{formatDateTime(job.createdAt)}</dd>
        <dt>Created by</dt>
        <dd data-testid="job-created-by">
          <Who actor={job.createdBy} />
        </dd>
        {job.status === 'stopped' || job.stoppedBy ? (
          <>
            <dt>Stopped by</dt>
            <dd data-testid="job-stopped-by">
              <Who actor={job.stoppedBy} />
            </dd>
          </>
        ) : null}
        {job.nextStartAt ? (
          <>
            <dt>Starts at</dt>
            <dd data-testid="job-next-start">{formatDateTime(job.nextStartAt)}</dd>
          </>
        ) : null}
        {job.schedule?.windows?.length ? (
          <>
            <dt>Maintenance windows</dt>
            <dd data-testid="job-windows">{describeWindows(job.schedule.windows)}</dd>
          </>
        ) : null}
        <dt>Started</dt>
        <dd>{formatDateTime(job.startedAt)}</dd>
        <dt>Ended</dt>
        <dd>{formatDateTime(job.endedAt)}</dd>
      </dl>
    </section>
  );
}
