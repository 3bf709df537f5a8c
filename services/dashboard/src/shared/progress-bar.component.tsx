import { JobCounts } from '../api/fleetjobs-api.types';
import { formatCount } from './format';

/** Succeeded, failed and pending devices of a job as one stacked bar, with the numbers beside it. */
export function ProgressBar({ counts, showLegend = true }: { counts: JobCounts; showLegend?: boolean }) {
  const total = Math.max(counts.total, counts.completed + counts.failed + counts.pending);
  const percent = (n: number) => (total === 0 ? 0 : (n / total) * 100);
  const done = counts.completed + counts.failed;
  const label = `${formatCount(counts.completed)} succeeded, ${formatCount(counts.failed)} failed, ${formatCount(counts.pending)} pending of ${formatCount(total)}`;
  return (
    <div className="progress">
      <div
        className="progress__bar"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
      >
        <span className="progress__completed" style={{ width: `${percent(counts.completed)}%` }} />
        <span className="progress__failed" style={{ width: `${percent(counts.failed)}%` }} />
      </div>
      {showLegend ? (
        <p className="progress__legend" aria-hidden="true">
          <span className="legend legend--completed">{formatCount(counts.completed)} succeeded</span>
          <span className="legend legend--failed">{formatCount(counts.failed)} failed</span>
          <span className="legend legend--pending">{formatCount(counts.pending)} pending</span>
        </p>
      ) : null}
    </div>
  );
}
