import { Job, RolloutBatchProgress } from '../api/fleetjobs-api.types';
import { formatCount, formatDateTime } from '../shared/format';
import { abortRuleText, BATCH_STATE_TEXT, batchesText, rateText, retriesText, timeoutText } from './rollout-text';

/**
 * A job's rollout: what was asked, the rate now and why it last changed, the pause before the
 * next batch, and each batch's progress. Nothing for a job without a rollout; what the server
 * does not tell yet is left out.
 */
export function JobRollout({ job }: { job: Job }) {
  const { rollout } = job;
  const progress = job.rolloutProgress ?? null;
  if (!rollout && !progress) return null;
  const batches = progress ? batchRows(progress.batches, progress.batchCount) : [];
  const pausedUntil = progress?.pausedUntil && !isPast(progress.pausedUntil) ? progress.pausedUntil : null;

  return (
    <section className="card" aria-label="Rollout" data-testid="job-rollout">
      <h2>Rollout</h2>
      <dl className="rollout-progress__facts">
        {progress && progress.ratePerMinute !== null ? (
          <>
            <dt>Current rate</dt>
            <dd data-testid="rollout-rate">
              <span className="rollout-progress__rate">{formatCount(Math.round(progress.ratePerMinute))} / min</span>
              {progress.rateReason ? <span className="muted"> — {progress.rateReason}</span> : null}
            </dd>
          </>
        ) : null}
        {pausedUntil ? (
          <>
            <dt>Between batches</dt>
            <dd data-testid="rollout-paused-until">Next batch starts at {formatDateTime(pausedUntil)}</dd>
          </>
        ) : null}
        {rollout ? (
          <>
            <dt>Batches</dt>
            <dd>
              {batchesText(rollout)}
              {rollout.successGate ? `, ${rollout.successGate.percent} % completed before the next` : ''}
              {rollout.pauseBetweenSeconds ? `, ${formatCount(rollout.pauseBetweenSeconds)} s between batches` : ''}
            </dd>
            <dt>Rate</dt>
            <dd>{rateText(rollout)}</dd>
            <dt>Abort when</dt>
            <dd>
              {rollout.abort && rollout.abort.length > 0 ? (
                <ul className="operations-list">
                  {rollout.abort.map((rule, i) => (
                    <li key={i}>{abortRuleText(rule)}</li>
                  ))}
                </ul>
              ) : (
                <span className="muted">Never</span>
              )}
            </dd>
            <dt>Retries</dt>
            <dd>{retriesText(rollout)}</dd>
            <dt>Timeout</dt>
            <dd>{timeoutText(rollout)}</dd>
          </>
        ) : null}
      </dl>
      {progress && batches.length > 0 ? (
        <div className="table-scroll">
          <table className="table table--compact" aria-label={`Batches: ${Math.min(progress.currentBatch + 1, progress.batchCount)} of ${progress.batchCount}`}>
            <thead>
              <tr>
                <th scope="col">Batch</th>
                <th scope="col" className="cell-number">Devices</th>
                <th scope="col" className="cell-number">Completed</th>
                <th scope="col" className="cell-number">Failed</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((batch) => (
                <tr
                  key={batch.index}
                  data-testid="rollout-batch"
                  data-state={batch.state}
                  className={batch.index === progress.currentBatch && batch.state === 'running' ? 'table__row--current' : undefined}
                >
                  <td>Batch {batch.index + 1}</td>
                  <td className="cell-number">{batch.size === null ? '—' : formatCount(batch.size)}</td>
                  <td className="cell-number">{batch.completed === null ? '—' : formatCount(batch.completed)}</td>
                  <td className="cell-number">{batch.failed === null ? '—' : formatCount(batch.failed)}</td>
                  <td>
                    <span className={`badge badge--${batch.state}`}>{BATCH_STATE_TEXT[batch.state]}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

interface BatchRow {
  index: number;
  size: number | null;
  completed: number | null;
  failed: number | null;
  state: RolloutBatchProgress['state'] | 'waiting';
}

/** The batches reported, then the ones not started yet, so the table always shows every batch. */
function batchRows(reported: RolloutBatchProgress[], batchCount: number): BatchRow[] {
  const rows: BatchRow[] = [...reported].sort((a, b) => a.index - b.index);
  const seen = new Set(rows.map((b) => b.index));
  for (let index = 0; index < batchCount; index++) {
    if (!seen.has(index)) rows.push({ index, size: null, completed: null, failed: null, state: 'waiting' });
  }
  return rows.sort((a, b) => a.index - b.index);
}

function isPast(iso: string): boolean {
  const time = new Date(iso).getTime();
  return Number.isFinite(time) && time <= Date.now();
}
