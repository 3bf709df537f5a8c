import { useState } from 'react';
import { ApiProblem, asApiProblem } from '../api/api-problem';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { Job } from '../api/fleetjobs-api.types';
import { navigate } from '../routing/hash-location.hook';
import { ConfirmDialog } from '../shared/confirm-dialog.component';
import { Link } from '../shared/link.component';
import { isFinished } from './job-status';

/** Whether the job wrote something a revert can put back: an ended job with a property or a setting. */
export function isRevertible(job: Job): boolean {
  return isFinished(job.status) && job.operations.some((operation) => operation.type !== 'command');
}

/**
 * "Revert", for an ended property or setting job, behind a confirmation: a new job that puts
 * back on each device the values this job replaced, opened once created. A refusal shows the
 * API's reason in the dialog.
 */
export function RevertJobButton({ job }: { job: Job }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem>();
  if (!isRevertible(job)) return null;

  const writes = job.operations.filter((operation) => operation.type !== 'command');
  const revert = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      const created = await fleetjobsApi.revertJob(job.id);
      setAsking(false);
      navigate({ page: 'job', id: created.id });
    } catch (error) {
      setProblem(asApiProblem(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="button" onClick={() => setAsking(true)}>
        Revert
      </button>
      {asking ? (
        <ConfirmDialog title={`Revert “${job.displayName}”?`} confirmLabel="Revert" busy={busy} onConfirm={revert} onCancel={() => setAsking(false)}>
          <p>
            A new job puts back, on each device, the value that this job replaced:{' '}
            {writes.map((operation) => `${operation.type} ${operation.name}`).join(', ')}.
          </p>
          <p>A property the device did not have is removed. A device whose setting had no value, or that this job never changed, fails as not revertible.</p>
          {problem ? (
            <p className="field__error" role="alert">
              Revert failed: {problem.detail || problem.title}
            </p>
          ) : null}
        </ConfirmDialog>
      ) : null}
    </>
  );
}

/** Names the job this one reverts, with a link to it. */
export function RevertOfNotice({ job }: { job: Job }) {
  if (!job.revertOf) return null;
  return (
    <p className="muted" data-testid="job-revert-of">
      Reverts <Link to={{ page: 'job', id: job.revertOf }}>{job.revertOf}</Link>: each device gets back the value that job replaced.
    </p>
  );
}
