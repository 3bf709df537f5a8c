import { useState } from 'react';
import { ApiProblem, asApiProblem } from '../api/api-problem';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { ScheduleStatus } from '../api/fleetjobs-api.types';

/**
 * Pause for an active schedule, Resume for a paused one; nothing for an ended one. Neither asks
 * first: Resume undoes Pause (the runs missed meanwhile are not made up).
 */
export function PauseResumeScheduleButton({ scheduleId, status, onChanged }: { scheduleId: string; status: ScheduleStatus; onChanged: () => void }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem>();
  if (status === 'ended') return null;
  const pausing = status === 'active';

  const act = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      await (pausing ? fleetjobsApi.pauseSchedule(scheduleId) : fleetjobsApi.resumeSchedule(scheduleId));
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
