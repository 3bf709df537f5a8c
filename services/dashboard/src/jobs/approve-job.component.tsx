import { useState } from 'react';
import { ApiProblem, asApiProblem } from '../api/api-problem';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { Job } from '../api/fleetjobs-api.types';
import { useSession } from '../auth/session.store';
import { formatDateTime } from '../shared/format';

function awaitingApproval(job: Job): boolean {
  return Boolean(job.approval?.required && !job.approval.approvedBy && job.status === 'pending');
}

/**
 * Approve, for a job that waits for a second person: not offered to its creator, whom the API
 * would refuse. A refusal shows the API's reason.
 */
export function ApproveJobButton({ job, onApproved }: { job: Job; onApproved: () => void }) {
  const session = useSession();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem>();
  const me = session.status === 'signed-in' ? session.me : undefined;
  if (!awaitingApproval(job) || !me || job.createdBy?.id === me.id) return null;

  const approve = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      await fleetjobsApi.approveJob(job.id);
      onApproved();
    } catch (error) {
      setProblem(asApiProblem(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="button button--primary" disabled={busy} onClick={approve}>
        {busy ? 'Approving…' : 'Approve'}
      </button>
      {problem ? (
        <p className="field__error" role="alert">
          Approve failed: {problem.detail || problem.title}
        </p>
      ) : null}
    </>
  );
}

/** Says that the job waits for approval and why, or who approved it. */
export function ApprovalNotice({ job }: { job: Job }) {
  const approval = job.approval;
  if (!approval?.required) return null;
  if (approval.approvedBy) {
    return (
      <p className="muted" data-testid="job-approval">
        Approved by {approval.approvedBy.name}
        {approval.approvedAt ? ` on ${formatDateTime(approval.approvedAt)}` : ''}.
      </p>
    );
  }
  if (!awaitingApproval(job)) return null;
  return (
    <p className="alert alert--warning" role="status" data-testid="job-approval">
      Awaiting approval{approval.reason ? ` (${approval.reason})` : ''}: nothing is sent to a device until an operator other than
      {job.createdBy ? ` ${job.createdBy.name},` : ' its creator,'} who created it, approves it.
    </p>
  );
}
