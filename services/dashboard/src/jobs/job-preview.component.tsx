import { NewJob } from '../api/fleetjobs-api.types';
import { Link } from '../shared/link.component';
import { conflictText, etaPace, etaSummary, overlapText } from './job-preview.format';
import { useJobPreview } from './job-preview.hook';

interface JobPreviewPanelProps {
  /** The job the form describes; null while the form is incomplete. */
  body: NewJob | null;
  debounceMs?: number;
}

/**
 * Before Run: the devices the job would reach (per template), how long it would take, and the
 * active jobs already on those devices, refreshed a moment after the form changes. A job the
 * API would refuse shows why, field by field.
 */
export function JobPreviewPanel({ body, debounceMs }: JobPreviewPanelProps) {
  const state = useJobPreview(body, debounceMs);
  const preview = state.kind === 'ready' ? state.preview : state.kind === 'loading' ? state.previous : undefined;

  return (
    <section className="card job-preview" aria-label="Preview" aria-busy={state.kind === 'loading'}>
      <h2 className="job-preview__title">Before you run</h2>
      {state.kind === 'idle' ? (
        <p className="muted">Complete the job to see the devices it reaches, how long it takes and the jobs it overlaps.</p>
      ) : null}
      {state.kind === 'loading' && !preview ? <p className="muted">Checking the job…</p> : null}
      {state.kind === 'refused' ? (
        <div className="alert alert--warning" role="status">
          <p className="alert__title">{state.problem.status >= 400 && state.problem.status < 500 ? 'The job would be refused' : 'No preview right now'}</p>
          {state.problem.detail ? <p>{state.problem.detail}</p> : null}
          {state.problem.errors.length ? (
            <ul aria-label="Problems">
              {state.problem.errors.map((error, index) => (
                <li key={index}>
                  <code>{error.field}</code> {error.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {preview && state.kind !== 'refused' ? (
        <dl className="job-preview__facts">
          <dt>Devices</dt>
          <dd>
            <span data-testid="preview-total">{preview.targets.total}</span>
            {preview.targets.byTemplate.length ? (
              <ul aria-label="Devices per template">
                {preview.targets.byTemplate.map((entry) => (
                  <li key={entry.template}>
                    {entry.template}: {entry.devices}
                  </li>
                ))}
              </ul>
            ) : null}
          </dd>
          <dt>Time</dt>
          <dd>
            <span data-testid="preview-eta">{etaSummary(preview.eta.seconds)}</span>
            <p className="muted">{etaPace(preview.eta)}</p>
          </dd>
          <dt>Overlaps</dt>
          <dd>
            {preview.overlaps.length === 0 ? (
              <p>No active job targets these devices.</p>
            ) : (
              <ul aria-label="Overlapping jobs">
                {preview.overlaps.map((overlap) => (
                  <li key={overlap.jobId} className={overlap.sameWrites.length ? 'job-preview__overlap--same' : undefined}>
                    <Link to={{ page: 'job', id: overlap.jobId }}>{overlap.displayName || overlap.jobId}</Link> ({overlap.status}): {overlapText(overlap)}
                  </li>
                ))}
              </ul>
            )}
          </dd>
          {conflictText(preview.conflict, preview.overlaps) ? (
            <>
              <dt>On Run</dt>
              <dd data-testid="preview-conflict" className={preview.conflict.outcome === 'refuse' ? 'job-preview__overlap--same' : undefined}>
                {conflictText(preview.conflict, preview.overlaps)}
              </dd>
            </>
          ) : null}
        </dl>
      ) : null}
    </section>
  );
}
