import { useState } from 'react';
import { ApiProblem, asApiProblem } from '../api/api-problem';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { JobStatus } from '../api/fleetjobs-api.types';
import { isPausable } from './job-status';

/**
 * Pause for a running job, Resume for a paused one. Neither asks first: both can be undone,
 * unlike Stop. A paused job starts nothing new; what is under way finishes.
 */
export function PauseResumeButton({ jobId, status, onChanged }: { jobId: string; status: JobStatus; onChanged: () => void }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem>();
  const pausing = isPausable(status);
  if (!pausing && status !== 'paused') return null;

  const act = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      await (pausing ? fleetjobsApi.pauseJob(jobId) : fleetjobsApi.resumeJob(jobId));
      onChanged();
    } catch (error) {
      setProblem(asApiProblem(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="button" disabled={busy} onClick={act}>
        {pausing ? (busy ? 'Pausing…' : 'Pause') : busy ? 'Resuming…' : 'Resume'}
      </button>
      {problem ? (
        <p className="field__error" role="alert">
          {pausing ? 'Pause' : 'Resume'} failed: {problem.detail || problem.title}
        </p>
      ) : null}
    </>
  );
}
