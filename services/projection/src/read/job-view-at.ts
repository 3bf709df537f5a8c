import { isTerminal } from '../jobs/job.projection';
import { statusAt } from '../jobs/job-moment.projection';
import { JobView } from './job.view';
import type { JobHistory } from './job-history.query';

const happened = (time: string | null, at: string): boolean => time !== null && Date.parse(time) <= Date.parse(at);

/**
 * The job as it was at `at` (at or after its creation), from the job as it is now and what the
 * read model knows of its past: the status folded from the status changes up to `at`, the times
 * and people of what had happened by then, and the device counts then. The definition is the
 * job's own and never changes. The rollout's progress is not kept over time: it is null.
 */
export function jobViewAt(history: JobHistory, at: string): JobView {
  const { view, targetTotal, changes, counts } = history;
  const status = statusAt(changes, at);
  const ended = isTerminal(status);
  const startedAt = happened(view.startedAt, at) ? view.startedAt : null;
  const approval =
    view.approval && !happened(view.approval.approvedAt, at) ? { ...view.approval, approvedBy: null, approvedAt: null } : view.approval;
  return {
    ...view,
    status,
    // When a queued job was released is not kept over time: a past moment shows what it waits for now.
    waitingFor: status === 'pending' ? view.waitingFor : [],
    error: ended ? view.error : null,
    startedAt,
    endedAt: ended ? view.endedAt : null,
    // A scheduled job not started by then still waited for its start.
    nextStartAt: view.schedule?.startAt && startedAt === null && !ended && Date.parse(at) < Date.parse(view.schedule.startAt) ? view.schedule.startAt : null,
    settledAt: happened(view.settledAt, at) ? view.settledAt : null,
    stoppedBy: status === 'stopped' ? view.stoppedBy : null,
    approval,
    counts: {
      // Like the live view: never fewer than targeting had announced once the job started.
      total: Math.max(startedAt !== null ? (targetTotal ?? 0) : 0, counts.total),
      pending: counts.total - counts.completed - counts.failed,
      completed: counts.completed,
      failed: counts.failed,
    },
    rolloutProgress: null,
  };
}
