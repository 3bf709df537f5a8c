import { useState } from 'react';
import { ApiProblem, asApiProblem } from '../api/api-problem';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { Job } from '../api/fleetjobs-api.types';
import { navigate } from '../routing/hash-location.hook';
import { Link } from '../shared/link.component';
import { isFinished } from './job-status';

/**
 * "Rerun on failed devices", for an ended job with failed devices: a new job with this job's
 * definition on exactly those devices, opened once created. A refusal shows the API's reason.
 */
export function RerunFailedButton({ job }: { job: Job }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem>();
  if (!isFinished(job.status) || job.counts.failed === 0) return null;

  const rerun = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      const created = await fleetjobsApi.rerunJob(job.id, 'failed');
      navigate({ page: 'job', id: created.id });
    } catch (error) {
      setProblem(asApiProblem(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="button" disabled={busy} onClick={rerun}>
        {busy ? 'Creating the rerun…' : 'Rerun on failed devices'}
      </button>
      {problem ? (
        <p className="field__error" role="alert">
          Rerun failed: {problem.detail || problem.title}
          {problem.errors.length ? ` (${problem.errors.map((error) => `${error.field} ${error.message}`).join('; ')})` : ''}
        </p>
      ) : null}
    </>
  );
}

/** Names the job this one reruns, with a link to it. */
export function RerunOfNotice({ job }: { job: Job }) {
  if (!job.rerunOf) return null;
  return (
    <p className="muted" data-testid="job-rerun-of">
      Rerun of <Link to={{ page: 'job', id: job.rerunOf }}>{job.rerunOf}</Link>
    </p>
  );
}
