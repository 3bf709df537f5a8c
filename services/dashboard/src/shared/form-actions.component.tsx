import { Route } from '../routing/routes';
import { Link } from './link.component';
import { ProblemAlert } from './problem-alert.component';
import { SubmitFailure } from './submit-errors';

interface FormActionsProps {
  /** What the API refused the last submit with; field errors no field shows are listed. */
  failure?: Partial<Pick<SubmitFailure, 'problem' | 'unplaced'>>;
  busy: boolean;
  submitLabel: string;
  busyLabel?: string;
  cancelTo: Route;
}

/** The foot of a form: the API's refusal, the submit button and Cancel. */
export function FormActions({ failure, busy, submitLabel, busyLabel = 'Saving…', cancelTo }: FormActionsProps) {
  return (
    <>
      <ProblemAlert problem={failure?.problem} unplaced={failure?.unplaced} />
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
        <Link className="button" to={cancelTo}>
          Cancel
        </Link>
      </div>
    </>
  );
}
