import { useState } from 'react';
import { ApiProblem, asApiProblem } from '../api/api-problem';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { ConfirmDialog } from '../shared/confirm-dialog.component';

/** The Stop button of a pending or running job, behind a confirmation. */
export function StopJobButton({ jobId, jobName, onStopped }: { jobId: string; jobName: string; onStopped: () => void }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem>();

  const stop = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      await fleetjobsApi.stopJob(jobId);
      setAsking(false);
      onStopped();
    } catch (error) {
      setProblem(asApiProblem(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="button button--danger" onClick={() => setAsking(true)}>
        Stop
      </button>
      {asking ? (
        <ConfirmDialog title={`Stop “${jobName}”?`} confirmLabel="Stop job" cancelLabel="Keep running" danger busy={busy} onConfirm={stop} onCancel={() => setAsking(false)}>
          <p>No device operation starts after the job is stopped; operations already under way finish.</p>
          <p>
            <strong>A stopped job cannot be restarted.</strong> To run it again, copy it to a new job.
          </p>
          {problem ? (
            <p className="field__error" role="alert">
              {problem.title}: {problem.detail}
            </p>
          ) : null}
        </ConfirmDialog>
      ) : null}
    </>
  );
}
