import { Job } from '../api/fleetjobs-api.types';
import { Link } from '../shared/link.component';

/** For a run of a recurring schedule: which run it is, with a link to its schedule. */
export function ScheduleRunNotice({ job }: { job: Job }) {
  if (!job.scheduleId) return null;
  return (
    <p className="muted" data-testid="job-schedule-run">
      {job.scheduleRun ? `Run ${job.scheduleRun} of schedule ` : 'A run of schedule '}
      <Link to={{ page: 'schedule', id: job.scheduleId }}>{job.scheduleId}</Link>
    </p>
  );
}
